// The level stepper of the Mamba stage: the Hillis–Steele scan of one chunk of one row, one level per
// dispatch, with the scan array (T, N) of pairs (a, b) read back after each level. For teaching at
// small sizes (L ≤ ~256); the fused kernel (selectiveScanChunked) never stores this array. Step k applies
// level k (offset 2^k); the discretized array (level -1) is initial(), or runs with step 0.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { buildInScope } from '../../gpu/run';
import { type Uniform, uniformFor } from '../../gpu/uniforms';
import {
  bcStrides,
  checkSelectiveScan,
  discretizedDelta,
  type SelectiveScanInputs,
  type SelectiveScanParams,
} from '../../reference/mamba';
import { makeStepper, type Stepper } from '../program';
import { packScan, SCAN_SOURCES, type ScanBuffers, scanParams, scanRows } from './common';

const WG = 64;
const LABEL = 'selectiveScanLevels';

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

/** The level stepper: count = levels = ⌈log2 T⌉ steps; initial() reads the discretized array, any time. */
export interface ScanLevelStepper extends Stepper<ScanLevelState> {
  /** Time steps in the chunk. */
  readonly T: number;
  /** ⌈log2 T⌉ levels in all (= count). */
  readonly levels: number;
  /** The discretized array (level -1), without applying a level or moving k. */
  initial(): Promise<ScanLevelState>;
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

/** The chunk's first step t0 and length T, checked against p. */
export function scanLevelWindow(p: SelectiveScanParams, target: ScanLevelTarget): { t0: number; T: number } {
  const { row, chunkIndex, chunk } = target;
  const t0 = chunkIndex * chunk;
  if (!Number.isInteger(chunk) || chunk < 1 || row < 0 || row >= scanRows(p) || t0 < 0 || t0 >= p.L)
    throw new EngineError(LABEL, `no chunk ${chunkIndex} of length ${chunk} in row ${row}`);
  return { t0, T: Math.min(chunk, p.L - t0) };
}

const levelCount = (T: number): number => Math.ceil(Math.log2(T));

/** Steps in all: one per Hillis–Steele level, ⌈log2 T⌉ for the chunk's T steps (0 when T = 1). */
export const scanLevelStepCount = (p: SelectiveScanParams, target: ScanLevelTarget): number =>
  levelCount(scanLevelWindow(p, target).T);

export function selectiveScanLevelsKernel(gpu: Gpu, p: SelectiveScanParams): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.level`,
    sources: [...SCAN_SOURCES, 'mamba/selectiveScanLevels.wgsl'],
    constants: { WG, COMPLEX: p.complex ? 1 : 0 },
  });
}

/**
 * One dispatch on buffers it is given: with level.s = 0 it discretizes the chunk into pairOut (pairIn is
 * bound, not read); with s ≥ 1 it applies the level of offset s from pairIn to pairOut, both (T, N, 4).
 * `level.set({s})` changes the level for the next run of the same dispatch.
 */
export async function selectiveScanLevelDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SelectiveScanParams,
  b: ScanBuffers & { pairIn: GPUBuffer; pairOut: GPUBuffer },
  w: { row: number; t0: number; T: number; s: number },
): Promise<Dispatch & { level: Uniform }> {
  const k = await selectiveScanLevelsKernel(gpu, p);
  const level = uniformFor(scope, k, w, 'w');
  const params = uniformFor(scope, k, scanParams(p, b.z), 'p');
  const { seq, bc, chan, pairIn, pairOut } = b;
  return {
    kernel: k,
    bindings: { p: params.buffer, w: level.buffer, seq, bc, chan, pairIn, pairOut },
    workgroups: gridForInvocations(gpu, LABEL, w.T * p.N, WG).workgroups,
    level,
  };
}

function cpuStepper(p: SelectiveScanParams, x: SelectiveScanInputs, row: number, t0: number, T: number) {
  const make = (n: number) => new Float64Array(n);
  let cur: Float64Array = discretizeCpu(p, x, row, t0, T);
  return makeStepper<ScanLevelState>(LABEL, {
    backend: 'cpu',
    count: levelCount(T),
    advance(k) {
      cur = levelCpu(cur, T, p.N, 1 << k);
      return { level: k, offset: 1 << k, ...split(cur, T, p.N, make) };
    },
    reset() {
      cur = discretizeCpu(p, x, row, t0, T);
    },
  });
}

async function gpuStepper(
  gpu: Gpu,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  row: number,
  t0: number,
  T: number,
) {
  return buildInScope(gpu, LABEL, async (scope) => {
    const packed = packScan(scope, p, x);
    const bytes = T * p.N * 16;
    const [pairs0, pairs1, first] = ['pairs0', 'pairs1', 'initial'].map((n) => scope.storage(n, bytes));
    const w = { row, t0, T, s: 0 };
    const discretize = await selectiveScanLevelDispatch(
      gpu,
      scope,
      p,
      { ...packed, pairIn: pairs1, pairOut: pairs0 },
      w,
    );
    const toInitial = { ...discretize, bindings: { ...discretize.bindings, pairOut: first } };
    const even = await selectiveScanLevelDispatch(
      gpu,
      scope,
      p,
      { ...packed, pairIn: pairs0, pairOut: pairs1 },
      { ...w, s: 1 },
    );
    // Odd levels run the same dispatch with the buffers swapped (and the same level uniform).
    const odd = { ...even, bindings: { ...even.bindings, pairIn: pairs1, pairOut: pairs0 } };
    const read = async (buf: GPUBuffer) =>
      split(await readF32(gpu, buf, T * p.N * 4), T, p.N, (n) => new Float32Array(n));
    const stepper = makeStepper<ScanLevelState>(LABEL, {
      backend: 'webgpu',
      count: levelCount(T),
      async advance(k) {
        even.level.set({ s: 1 << k });
        const level = k % 2 === 0 ? even : odd;
        await runDispatches(gpu, `${LABEL}.step`, k === 0 ? [discretize, level] : [level]);
        return { level: k, offset: 1 << k, ...(await read(k % 2 === 0 ? pairs1 : pairs0)) };
      },
      free: () => scope.release(),
    });
    const initial = async (): Promise<ScanLevelState> => {
      await runDispatches(gpu, `${LABEL}.initial`, [toInitial]);
      return { level: -1, offset: 0, ...(await read(first)) };
    };
    return { stepper, initial };
  });
}

/** gpu null (or unusable) -> the float64 CPU stepper; otherwise one dispatch per level. */
export async function createScanLevelStepper(
  gpu: Gpu | null,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  target: ScanLevelTarget,
): Promise<ScanLevelStepper> {
  checkSelectiveScan(p, x);
  const { t0, T } = scanLevelWindow(p, target);
  const { row } = target;
  const made =
    gpu?.status === 'ok'
      ? await gpuStepper(gpu, p, x, row, t0, T)
      : {
          stepper: cpuStepper(p, x, row, t0, T),
          initial: async (): Promise<ScanLevelState> => ({
            level: -1,
            offset: 0,
            ...split(discretizeCpu(p, x, row, t0, T), T, p.N, (n) => new Float64Array(n)),
          }),
        };
  const s = made.stepper;
  let disposed = false;
  return {
    get backend() {
      return s.backend;
    },
    get count() {
      return s.count;
    },
    get k() {
      return s.k;
    },
    T,
    levels: s.count,
    initial: () =>
      disposed ? Promise.reject(new EngineError(LABEL, 'initial: the stepper was disposed')) : made.initial(),
    step: () => s.step(),
    reset: () => s.reset(),
    dispose: () => {
      disposed = true;
      s.dispose();
    },
  };
}
