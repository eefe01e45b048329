// Golden adapters for the Mamba-2 / SSD family: golden case -> program inputs -> outputs, on both
// backends. Sizes come from the arrays' shapes; absent optional inputs take their defaults.

import { mamba2Gpu } from '../../programs/ssd/mamba2Combined';
import { segsumGpu } from '../../programs/ssd/segsum';
import { ssdChunkedGpu } from '../../programs/ssd/ssdChunked';
import { ssdQuadraticGpu } from '../../programs/ssd/ssdQuadratic';
import { ssdRecurrentGpu } from '../../programs/ssd/ssdRecurrent';
import { type SsdDims, segsum, ssdQuadratic, ssdRecurrent } from '../../reference/ssd';
import { mamba2Combined, ssdChunked } from '../../reference/ssdChunked';
import type { GArray, GoldenAdapter, GoldenCase, GoldenOutputs } from '../format';
import { f32, param } from '../format';

/** Repeats a (batch, T, 1, N) array along the head axis to (batch, T, H, N). */
function broadcastHeads(a: Float64Array, batch: number, T: number, H: number, N: number): Float64Array {
  const out = new Float64Array(batch * T * H * N);
  for (let bt = 0; bt < batch * T; bt++) {
    for (let h = 0; h < H; h++) out.set(a.subarray(bt * N, bt * N + N), (bt * H + h) * N);
  }
  return out;
}

/** SSD sizes and inputs of an ssd_minimal / quadratic / recurrent case; B and C share one head axis. */
function ssdCase(c: GoldenCase) {
  const [batch, T, H, P] = c.inputs.X.shape;
  const N = c.inputs.B.shape[3];
  let B = c.inputs.B.data;
  let C = c.inputs.C.data;
  let G = c.inputs.B.shape[2];
  const gc = c.inputs.C.shape[2];
  if (G !== gc) {
    if (G === 1) B = broadcastHeads(B, batch, T, H, N);
    if (gc === 1) C = broadcastHeads(C, batch, T, H, N);
    G = H;
  }
  const d: SsdDims = { batch, T, H, P, N, G };
  const init = c.inputs.initial_states ?? c.inputs.initial_state ?? null;
  return {
    d,
    host: { X: c.inputs.X.data, A: c.inputs.A.data, B, C, init: init ? init.data : null },
    gpu: {
      X: f32(c.inputs.X),
      A: f32(c.inputs.A),
      B: Float32Array.from(B),
      C: Float32Array.from(C),
      init: init ? f32(init) : null,
    },
  };
}

const chunkOf = (c: GoldenCase, T: number) => Number(param(c, 'block_len', param(c, 'chunk_size', 64))) || T;

const segsumAdapter: GoldenAdapter = {
  cpu: (c) => {
    const T = c.inputs.x.shape.at(-1) ?? 1;
    return { out: segsum(c.inputs.x.data, c.inputs.x.data.length / T, T) };
  },
  gpu: async (gpu, c) => {
    const T = c.inputs.x.shape.at(-1) ?? 1;
    const { out } = await segsumGpu(gpu, { R: c.inputs.x.data.length / T, T }, f32(c.inputs.x));
    return { out };
  },
};

/** Outputs under the names the ssd cases use (Y, final_state) and their common aliases. */
function ssdOut(Y: ArrayLike<number>, fin?: ArrayLike<number>): GoldenOutputs {
  return fin ? { Y, y: Y, final_state: fin, final_states: fin, last_state: fin } : { Y, y: Y };
}

function mamba2Case(c: GoldenCase) {
  const [batch, T, H, P] = c.inputs.x.shape;
  const [, , G, N] = c.inputs.B.shape;
  const opt = (a: GArray | undefined) => (a ? f32(a) : null);
  const p = { batch, T, H, P, N, G, Q: chunkOf(c, T), dtSoftplus: !!param(c, 'dt_softplus', false) };
  const x = {
    x: f32(c.inputs.x),
    dt: f32(c.inputs.dt),
    A: f32(c.inputs.A),
    B: f32(c.inputs.B),
    C: f32(c.inputs.C),
    D: opt(c.inputs.D),
    z: opt(c.inputs.z),
    dtBias: opt(c.inputs.dt_bias ?? c.inputs.delta_bias),
  };
  return { p, x };
}

const mamba2Adapter: GoldenAdapter = {
  cpu: (c) => {
    const { p, x } = mamba2Case(c);
    return { out: mamba2Combined(p, p.Q, x, p.dtSoftplus) };
  },
  gpu: async (gpu, c) => {
    const { p, x } = mamba2Case(c);
    const { out } = await mamba2Gpu(gpu, p, x);
    return { out };
  },
};

export const ssdAdapters: Record<string, GoldenAdapter> = {
  segsum: segsumAdapter,
  segsum_unstable: segsumAdapter,
  ssd_minimal_discrete: {
    cpu: (c) => {
      const { d, host } = ssdCase(c);
      const r = ssdChunked(d, chunkOf(c, d.T), host);
      return ssdOut(r.Y, r.finalState);
    },
    gpu: async (gpu, c) => {
      const { d, gpu: x } = ssdCase(c);
      const r = await ssdChunkedGpu(gpu, { ...d, Q: chunkOf(c, d.T) }, x);
      return ssdOut(r.Y, r.finalState);
    },
  },
  ssd_naive_quadratic: {
    cpu: (c) => {
      const { d, host } = ssdCase(c);
      return ssdOut(ssdQuadratic(d, host));
    },
    gpu: async (gpu, c) => {
      const { d, gpu: x } = ssdCase(c);
      return ssdOut((await ssdQuadraticGpu(gpu, d, x)).Y);
    },
  },
  ssd_recurrent: {
    cpu: (c) => {
      const { d, host } = ssdCase(c);
      const r = ssdRecurrent(d, host);
      return ssdOut(r.Y, r.finalState);
    },
    gpu: async (gpu, c) => {
      const { d, gpu: x } = ssdCase(c);
      const r = await ssdRecurrentGpu(gpu, d, x);
      return ssdOut(r.Y, r.finalState);
    },
  },
  ssd_chunk_scan_combined_ref: mamba2Adapter,
  ssd_selective_scan: mamba2Adapter,
};
