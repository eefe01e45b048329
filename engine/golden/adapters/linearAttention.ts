// Golden adapters for the linear-attention family (linear attention, simple GLA, RetNet, GLA, RWKV-6): golden case
// -> program inputs -> outputs, on both backends. Sizes come from the arrays' shapes; scale from params.

import type { Gpu } from '../../gpu/device';
import {
  glaRecurrent,
  retentionGammas,
  retentionParallel,
  simpleGlaChunked,
  simpleGlaParallel,
  simpleGlaRecurrent,
} from '../../reference/gla';
import {
  defaultScale,
  type LaShape,
  linearAttentionChunked,
  linearAttentionParallel,
  linearAttentionRecurrent,
} from '../../reference/linearAttention';
import { laChunkedGpu } from '../../programs/linearAttention/linearAttentionChunked';
import { laParallelGpu } from '../../programs/linearAttention/linearAttentionParallel';
import { laRecurrentGpu } from '../../programs/linearAttention/linearAttentionRecurrent';
import { retentionParallelGpu } from '../../programs/linearAttention/retentionParallel';
import { rwkv6RecurrentGpu } from '../../programs/linearAttention/rwkv6Recurrent';
import { type Rwkv6Shape, rwkv6Recurrent } from '../../reference/rwkv6';
import type { GoldenAdapter, GoldenCase } from '../format';
import { f32, param } from '../format';

function shapeOf(c: GoldenCase): LaShape {
  const [B, T, H, K] = c.inputs.q.shape;
  return { B, T, H, K, V: c.inputs.v.shape[3] };
}
function scaleOf(c: GoldenCase, p: LaShape): number {
  return Number(param(c, 'scale', defaultScale(p.K)));
}
/** Every input's length must match the shape read from q and v, or the case fails with a clear note. */
function checkLengths(c: GoldenCase, p: LaShape): void {
  const { B, T, H, K, V } = p;
  const want: Record<string, number> = {
    q: B * T * H * K,
    k: B * T * H * K,
    v: B * T * H * V,
    g: B * T * H,
    gk: B * T * H * K,
    initial_state: B * H * K * V,
  };
  for (const [name, n] of Object.entries(want)) {
    const a = c.inputs[name];
    if (a && a.data.length !== n) {
      throw new Error(
        `${c.fn}: ${name} has ${a.data.length} values, want ${n} for B=${B} T=${T} H=${H} K=${K} V=${V}`,
      );
    }
  }
}
function cpuInputs(c: GoldenCase) {
  checkLengths(c, shapeOf(c));
  const i = c.inputs;
  return {
    q: i.q.data,
    k: i.k.data,
    v: i.v.data,
    g: i.g?.data,
    gk: i.gk?.data,
    initialState: i.initial_state?.data,
  };
}
function gpuInputs(c: GoldenCase) {
  const i = c.inputs;
  return {
    q: f32(i.q),
    k: f32(i.k),
    v: f32(i.v),
    g: i.g ? f32(i.g) : null,
    gk: i.gk ? f32(i.gk) : null,
    initialState: i.initial_state ? f32(i.initial_state) : null,
  };
}
const normalizeOf = (c: GoldenCase) => Boolean(param(c, 'normalize', false));
const chunkOf = (c: GoldenCase) => Number(param(c, 'chunk_size', 64));
const fs = (r: { o: ArrayLike<number>; finalState: ArrayLike<number> }) => ({
  o: r.o,
  final_state: r.finalState,
});

function gammasOut(c: GoldenCase) {
  const H = Number(param(c, 'H', param(c, 'num_heads', c.inputs.q?.shape[1] ?? 1)));
  const gam = retentionGammas(H);
  return { gammas: gam, gamma: gam, out: gam };
}

async function recurrentGpu(gpu: Gpu, c: GoldenCase) {
  const p = shapeOf(c);
  return fs(await laRecurrentGpu(gpu, p, gpuInputs(c), { scale: scaleOf(c, p), normalize: normalizeOf(c) }));
}
async function chunkedGpu(gpu: Gpu, c: GoldenCase) {
  const p = shapeOf(c);
  const opts = { scale: scaleOf(c, p), chunk: chunkOf(c), normalize: normalizeOf(c) };
  return fs(await laChunkedGpu(gpu, p, gpuInputs(c), opts));
}

/** RWKV-6's head-first case: q, k, w (B, H, T, K), v (B, H, T, V), u (H, K), initial_state (B, H, K, V). */
function rwkv6Case(c: GoldenCase) {
  for (const name of ['q', 'k', 'v', 'w', 'u'])
    if (!c.inputs[name]) throw new Error(`rwkv6_recurrent: missing input ${name}`);
  const [B, H, T, K] = c.inputs.q.shape;
  const p: Rwkv6Shape = { B, H, T, K, V: c.inputs.v.shape[3] };
  const want: Record<string, number> = {
    q: B * H * T * K,
    k: B * H * T * K,
    w: B * H * T * K,
    v: B * H * T * p.V,
    u: H * K,
    initial_state: B * H * K * p.V,
  };
  for (const [name, n] of Object.entries(want)) {
    const a = c.inputs[name];
    if (a && a.data.length !== n)
      throw new Error(`rwkv6_recurrent: ${name} has ${a.data.length} values, want ${n} for (B,H,T,K) layout`);
  }
  return { p, scale: Number(param(c, 'scale', defaultScale(K))) };
}

export const linearAttentionAdapters: Record<string, GoldenAdapter> = {
  linear_attention_recurrent: {
    cpu: (c) => {
      const p = shapeOf(c);
      return fs(linearAttentionRecurrent(p, cpuInputs(c), scaleOf(c, p), normalizeOf(c)));
    },
    gpu: recurrentGpu,
  },
  linear_attention_chunked: {
    cpu: (c) => {
      const p = shapeOf(c);
      return fs(linearAttentionChunked(p, cpuInputs(c), chunkOf(c), scaleOf(c, p), normalizeOf(c)));
    },
    gpu: chunkedGpu,
  },
  linear_attention_parallel: {
    cpu: (c) => {
      const p = shapeOf(c);
      return { o: linearAttentionParallel(p, cpuInputs(c), scaleOf(c, p), normalizeOf(c)) };
    },
    gpu: async (gpu, c) => {
      const p = shapeOf(c);
      const x = { ...gpuInputs(c), g: null, initialState: null };
      const r = await laParallelGpu(gpu, p, x, { scale: scaleOf(c, p), normalize: normalizeOf(c) });
      return { o: r.o };
    },
  },
  simple_gla_recurrent: {
    cpu: (c) => {
      const p = shapeOf(c);
      return fs(simpleGlaRecurrent(p, { ...cpuInputs(c), g: c.inputs.g.data }, scaleOf(c, p)));
    },
    gpu: recurrentGpu,
  },
  simple_gla_chunked: {
    cpu: (c) => {
      const p = shapeOf(c);
      return fs(simpleGlaChunked(p, { ...cpuInputs(c), g: c.inputs.g.data }, chunkOf(c), scaleOf(c, p)));
    },
    gpu: chunkedGpu,
  },
  simple_gla_parallel: {
    cpu: (c) => {
      const p = shapeOf(c);
      return simpleGlaParallel(p, { ...cpuInputs(c), g: c.inputs.g.data }, scaleOf(c, p));
    },
    gpu: async (gpu, c) => {
      const p = shapeOf(c);
      const r = await laParallelGpu(
        gpu,
        p,
        { ...gpuInputs(c), initialState: null },
        { scale: scaleOf(c, p), attn: true },
      );
      return { o: r.o, attn: r.attn ?? new Float32Array(0) };
    },
  },
  retention_parallel: {
    cpu: (c) => {
      const [B, H, T, K] = c.inputs.q.shape;
      const p = { B, H, T, K, V: c.inputs.v.shape[3] };
      for (const [name, n] of [
        ['q', B * H * T * K],
        ['k', B * H * T * K],
        ['v', B * H * T * p.V],
      ] as const) {
        const got = c.inputs[name].data.length;
        if (got !== n)
          throw new Error(`retention_parallel: ${name} has ${got} values, want ${n} for (b,h,t,d) layout`);
      }
      return { o: retentionParallel(p, c.inputs.q.data, c.inputs.k.data, c.inputs.v.data) };
    },
    gpu: async (gpu, c) => {
      const [B, H, T, K] = c.inputs.q.shape;
      const p = { B, H, T, K, V: c.inputs.v.shape[3] };
      const r = await retentionParallelGpu(gpu, p, {
        q: f32(c.inputs.q),
        k: f32(c.inputs.k),
        v: f32(c.inputs.v),
      });
      return { o: r.o };
    },
  },
  retention_gammas: {
    // A table of constants (γ_h = 1 − 2^{−5−h}), not a computation: both backends return the host table,
    // which is what the GPU kernel evaluates in place. The output name is not fixed by the README, so the
    // table is offered under the likely names.
    cpu: (c) => gammasOut(c),
    gpu: async (_gpu, c) => gammasOut(c),
  },
  gla_recurrent: {
    cpu: (c) => fs(glaRecurrent(shapeOf(c), { ...cpuInputs(c), gk: c.inputs.gk.data })),
    gpu: async (gpu, c) => {
      const p = shapeOf(c);
      return fs(await laRecurrentGpu(gpu, p, gpuInputs(c), { scale: defaultScale(p.K) }));
    },
  },
  rwkv6_recurrent: {
    cpu: (c) => {
      const { p, scale } = rwkv6Case(c);
      const i = c.inputs;
      const x = {
        q: i.q.data,
        k: i.k.data,
        v: i.v.data,
        w: i.w.data,
        u: i.u.data,
        s0: i.initial_state?.data,
      };
      return fs(rwkv6Recurrent(p, x, scale)); // final_state whatever output_final_state says
    },
    gpu: async (gpu, c) => {
      const { p, scale } = rwkv6Case(c);
      const i = c.inputs;
      const x = {
        q: f32(i.q),
        k: f32(i.k),
        v: f32(i.v),
        w: f32(i.w),
        u: f32(i.u),
        initialState: i.initial_state ? f32(i.initial_state) : null,
      };
      return fs(await rwkv6RecurrentGpu(gpu, p, x, { scale }));
    },
  },
};
