// The level stepper of the Mamba stage: the Hillis–Steele scan of one chunk of one row, one level per
// dispatch, with the scan array (T, N) of pairs (a, b) read back after each level. For teaching at
// small sizes (L ≤ ~256); the fused kernel (selectiveScanChunked) never stores this array.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Kernel, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import {
  checkSelectiveScan,
  discretizedDelta,
  type SelectiveScanInputs,
  type SelectiveScanParams,
  bcStrides,
} from '../../reference/mamba';
import { packScan } from './common';

const WG = 64;

/** The scan array after a level: for each (t, n) of the chunk, the pair (a, b), complex parts included. */
export interface ScanLevelState {
  /** -1 before any level: just after discretization. */
  level: number;
  /** Offset of this level, 2^level (0 for the discretized array). */
  offset: number;
  /** (T, N, 2): a_t[n] as (re, im); the product of ΔA over the window ending at t. */
  a: Float32Array | Float64Array;
  /** (T, N, 2): b_t[n] as (re, im); after the last level, the state x_t starting from zero at the chunk start. */
  b: Float32Array | Float64Array;
}

export interface ScanLevelStepper {
  readonly backend: 'webgpu' | 'cpu';
  /** Time steps in the chunk. */
  readonly T: number;
  /** ceil(log2 T) levels in all. */
  readonly levels: number;
  /** Levels applied so far (0 before the first step). */
  readonly k: number;
  /** The discretized array (level -1), without applying a level. */
  initial(): Promise<ScanLevelState>;
  /** Applies the next level and reads the array back. Throws past the last level. */
  step(): Promise<ScanLevelState>;
  reset(): void;
  dispose(): void;
}

export interface ScanLevelTarget {
  /** Row b·D + d. */
  row: number;
  /** Which chunk of length `chunk` of the row. */
  chunkIndex: number;
  chunk: number;
}

function split(v: ArrayLike<number>, T: number, N: number, make: (n: number) => Float32Array | Float64Array) {
  const a = make(T * N * 2);
  const b = make(T * N * 2);
  for (let i = 0; i < T * N; i++) {
    a[2 * i] = v[4 * i];
    a[2 * i + 1] = v[4 * i + 1];
    b[2 * i] = v[4 * i + 2];
    b[2 * i + 1] = v[4 * i + 3];
  }
  return { a, b };
}

/** (T, N, 4) pairs on the CPU in float64: the same array the GPU stepper starts from. */
function discretizeCpu(p: SelectiveScanParams, x: SelectiveScanInputs, row: number, t0: number, T: number) {
  const { N } = p;
  const d = row % p.D;
  const b = Math.floor(row / p.D);
  const sB = bcStrides(p, p.bGroups);
  const v = new Float64Array(T * N * 4);
  for (let tl = 0; tl < T; tl++) {
    const t = t0 + tl;
    const dl = discretizedDelta(x.delta[row * p.L + t], x.deltaBias?.[d] ?? 0, p.deltaSoftplus);
    const ut = x.u[row * p.L + t];
    for (let n = 0; n < N; n++) {
      const bi = b * sB.sb + Math.floor(d / sB.perGroup) * sB.sg + n * sB.sn + t * sB.st;
      const mag = Math.exp(dl * x.A[d * N + n]);
      const ang = dl * (x.Aim?.[d * N + n] ?? 0);
      const o = (tl * N + n) * 4;
      v[o] = mag * Math.cos(ang);
      v[o + 1] = mag * Math.sin(ang);
      v[o + 2] = dl * ut * x.B[bi];
      v[o + 3] = p.complex ? dl * ut * x.B[bi + sB.si] : 0;
    }
  }
  return v;
}

function levelCpu(v: Float64Array, T: number, N: number, s: number): Float64Array {
  const out = v.slice();
  for (let i = s * N; i < T * N; i++) {
    const [pr, pi, pbr, pbi] = [
      v[4 * (i - s * N)],
      v[4 * (i - s * N) + 1],
      v[4 * (i - s * N) + 2],
      v[4 * (i - s * N) + 3],
    ];
    const [cr, ci, cbr, cbi] = [v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]];
    out[4 * i] = pr * cr - pi * ci;
    out[4 * i + 1] = pr * ci + pi * cr;
    out[4 * i + 2] = cr * pbr - ci * pbi + cbr;
    out[4 * i + 3] = cr * pbi + ci * pbr + cbi;
  }
  return out;
}

export async function createScanLevelStepper(
  gpu: Gpu | null,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  target: ScanLevelTarget,
): Promise<ScanLevelStepper> {
  checkSelectiveScan(p, x);
  const { row, chunkIndex, chunk } = target;
  const t0 = chunkIndex * chunk;
  if (!Number.isInteger(chunk) || chunk < 1 || row < 0 || row >= p.batch * p.D || t0 < 0 || t0 >= p.L)
    throw new EngineError('selectiveScanLevels', `no chunk ${chunkIndex} of length ${chunk} in row ${row}`);
  const T = Math.min(chunk, p.L - t0);
  const levels = Math.ceil(Math.log2(T));
  const N = p.N;
  let k = 0;
  if (gpu?.status !== 'ok') {
    let cur: Float64Array = discretizeCpu(p, x, row, t0, T);
    const make = (n: number) => new Float64Array(n);
    return {
      backend: 'cpu',
      T,
      levels,
      get k() {
        return k;
      },
      async initial() {
        return { level: -1, offset: 0, ...split(discretizeCpu(p, x, row, t0, T), T, N, make) };
      },
      async step() {
        if (k >= levels) throw new Error(`scan level stepper: all ${levels} levels applied`);
        cur = levelCpu(cur, T, N, 1 << k);
        k++;
        return { level: k - 1, offset: 1 << (k - 1), ...split(cur, T, N, make) };
      },
      reset() {
        cur = discretizeCpu(p, x, row, t0, T);
        k = 0;
      },
      dispose() {},
    };
  }
  const device = gpu;
  const scope = new BufferScope(device, 'selectiveScanLevels');
  let kl: Kernel;
  let fields: ReturnType<typeof packScan>;
  let bufs: GPUBuffer[];
  try {
    const sources = ['common/math.wgsl', 'common/complex.wgsl', 'mamba/selectiveScanLevels.wgsl'];
    kl = await kernel(device, { label: 'selectiveScanLevels.level', sources, constants: { WG } });
    fields = packScan(scope, p, x);
    bufs = [scope.storage('pairs0', T * N * 16), scope.storage('pairs1', T * N * 16)];
  } catch (err) {
    scope.release();
    throw err;
  }
  const grid: [number] = [Math.ceil((T * N) / WG)];
  const run = async (s: number, from: GPUBuffer, to: GPUBuffer) => {
    const local = new BufferScope(device, 'selectiveScanLevels.step');
    try {
      const f = [...fields.fields];
      f[4] = ['u32', p.complex ? 1 : 0];
      f.push(['u32', row], ['u32', t0], ['u32', T], ['u32', s]);
      await runDispatches(device, 'selectiveScanLevels', [
        {
          kernel: kl,
          bindings: [local.uniform('params', f), fields.seq, fields.bc, fields.chan, from, to],
          workgroups: grid,
        },
      ]);
    } finally {
      local.release();
    }
    return split(await readF32(device, to, T * N * 4), T, N, (n) => new Float32Array(n));
  };
  let started = false;
  const initial = async (): Promise<ScanLevelState> => {
    started = true;
    k = 0;
    return { level: -1, offset: 0, ...(await run(0, bufs[1], bufs[0])) };
  };
  return {
    backend: 'webgpu',
    T,
    levels,
    get k() {
      return k;
    },
    initial,
    async step() {
      if (k >= levels) throw new Error(`scan level stepper: all ${levels} levels applied`);
      if (!started) await initial();
      const r = await run(1 << k, bufs[k % 2], bufs[(k + 1) % 2]);
      k++;
      return { level: k - 1, offset: 1 << (k - 1), ...r };
    },
    reset() {
      started = false;
      k = 0;
    },
    dispose() {
      scope.release();
    },
  };
}
