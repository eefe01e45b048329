// selectiveScanSequential: the plain per-row sequential selective scan on the GPU (the baseline the
// fused chunked scan is checked against), and the recurrent stepper: one time step per dispatch, with
// the state read back after step k. CPU side: reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Kernel, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import {
  type SelectiveScanInputs,
  type SelectiveScanOutputs,
  type SelectiveScanParams,
  checkSelectiveScan,
  selectiveScan,
  selectiveScanRange,
} from '../../reference/mamba';
import { foldGrid, makeScanInputs, packScan, type PackedScan } from './common';
import type { Program } from '../program';

const MAX_SPT = 8;

function sequentialKernel(gpu: Gpu, p: SelectiveScanParams): Promise<Kernel> {
  let nt = 1;
  while (nt < p.N && nt < 64) nt *= 2;
  const spt = Math.ceil(p.N / nt);
  if (spt > MAX_SPT)
    throw new EngineError('selectiveScanSequential', `N=${p.N} exceeds ${nt * MAX_SPT} states per channel`);
  return kernel(gpu, {
    label: 'selectiveScanSequential.walk',
    sources: ['common/math.wgsl', 'common/complex.wgsl', 'mamba/selectiveScanSequential.wgsl'],
    constants: { NT: nt, SPT: spt, COMPLEX: p.complex ? 1 : 0 },
  });
}

/** Buffers that live as long as a run or a stepper: packed inputs, out (batch, D, L), state (batch, D, N[, 2]). */
interface SeqBuffers {
  packed: PackedScan;
  out: GPUBuffer;
  state: GPUBuffer;
  k: Kernel;
}

async function prepare(gpu: Gpu, scope: BufferScope, p: SelectiveScanParams, x: SelectiveScanInputs) {
  const k = await sequentialKernel(gpu, p);
  const packed = packScan(scope, p, x);
  const rows = p.batch * p.D;
  const out = scope.storage('out', rows * p.L * 4);
  const state = scope.storage('state', rows * p.N * (p.complex ? 2 : 1) * 4);
  return { packed, out, state, k };
}

async function walk(
  gpu: Gpu,
  scope: BufferScope,
  p: SelectiveScanParams,
  s: SeqBuffers,
  t0: number,
  t1: number,
  time = false,
) {
  const fields = [...s.packed.fields];
  fields[4] = ['u32', t0];
  fields.push(['u32', t1]);
  return runDispatches(
    gpu,
    'selectiveScanSequential',
    [
      {
        kernel: s.k,
        bindings: [
          scope.uniform(`params${t0}`, fields),
          s.packed.seq,
          s.packed.bc,
          s.packed.chan,
          s.out,
          s.state,
        ],
        workgroups: foldGrid(p.batch * p.D, gpu.limits.maxComputeWorkgroupsPerDimension),
      },
    ],
    { time },
  );
}

export async function selectiveScanSequentialGpu(
  gpu: Gpu,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  time = false,
) {
  const scope = new BufferScope(gpu, 'selectiveScanSequential');
  try {
    const s = await prepare(gpu, scope, p, x);
    const { gpuMs } = await walk(gpu, scope, p, s, 0, p.L, time);
    const rows = p.batch * p.D;
    return {
      out: await readF32(gpu, s.out, rows * p.L),
      lastState: await readF32(gpu, s.state, rows * p.N * (p.complex ? 2 : 1)),
      gpuMs,
    };
  } finally {
    scope.release();
  }
}

export const selectiveScanSequentialProgram: Program<
  SelectiveScanParams,
  SelectiveScanInputs,
  SelectiveScanOutputs
> = {
  id: 'selectiveScanSequential',
  title: 'Selective scan, sequential over L (one workgroup per channel)',
  makeInputs: (p, seed) => makeScanInputs(p, seed),
  reference: (p, x) => selectiveScan(p, x),
  async run(gpu, p, x, opts = {}) {
    const r = await selectiveScanSequentialGpu(gpu, p, x, opts.time);
    return { outputs: { out: r.out, lastState: r.lastState }, gpuMs: r.gpuMs, trace: null };
  },
  tolerance: 1e-4,
};

/** The recurrent view of the Mamba stage: x_k = ΔA_k x_{k-1} + ΔB_k u_k, one step per call. */
export interface SelectiveScanStepper {
  readonly backend: 'webgpu' | 'cpu';
  readonly L: number;
  /** Steps taken so far (0 before the first step). */
  readonly k: number;
  /**
   * Runs step t = k on the device and reads back the state after it, (batch, D, N) or (batch, D, N, 2)
   * for complex A, and out[:, :, t] (batch, D). Throws past L.
   */
  step(): Promise<{ t: number; state: Float32Array | Float64Array; out: Float32Array | Float64Array }>;
  /** Back to x_{-1} = 0. */
  reset(): Promise<void>;
  dispose(): void;
}

function column(
  out: ArrayLike<number>,
  rows: number,
  L: number,
  t: number,
  make: (n: number) => Float32Array | Float64Array,
) {
  const col = make(rows);
  for (let r = 0; r < rows; r++) col[r] = out[r * L + t];
  return col;
}

export async function createSelectiveScanStepper(
  gpu: Gpu | null,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
): Promise<SelectiveScanStepper> {
  checkSelectiveScan(p, x);
  const rows = p.batch * p.D;
  const stateLen = rows * p.N * (p.complex ? 2 : 1);
  let k = 0;
  if (gpu?.status !== 'ok') {
    const state = new Float64Array(stateLen);
    const out = new Float64Array(rows * p.L);
    return {
      backend: 'cpu',
      L: p.L,
      get k() {
        return k;
      },
      async step() {
        if (k >= p.L) throw new Error(`selectiveScan stepper: all ${p.L} steps taken`);
        selectiveScanRange(p, x, state, out, k, k + 1);
        k++;
        return {
          t: k - 1,
          state: state.slice(),
          out: column(out, rows, p.L, k - 1, (n) => new Float64Array(n)),
        };
      },
      async reset() {
        state.fill(0);
        k = 0;
      },
      dispose() {},
    };
  }
  const scope = new BufferScope(gpu, 'selectiveScanStepper');
  let s: SeqBuffers;
  try {
    s = await prepare(gpu, scope, p, x);
  } catch (err) {
    scope.release();
    throw err;
  }
  return {
    backend: 'webgpu',
    L: p.L,
    get k() {
      return k;
    },
    async step() {
      if (k >= p.L) throw new Error(`selectiveScan stepper: all ${p.L} steps taken`);
      const stepScope = new BufferScope(gpu, 'selectiveScanStepper.step');
      try {
        await walk(gpu, stepScope, p, s, k, k + 1);
      } finally {
        stepScope.release();
      }
      const state = await readF32(gpu, s.state, stateLen);
      const out = await readF32(gpu, s.out, rows * p.L);
      k++;
      return { t: k - 1, state, out: column(out, rows, p.L, k - 1, (n) => new Float32Array(n)) };
    },
    async reset() {
      gpu.device.queue.writeBuffer(s.state, 0, new Float32Array(stateLen));
      await gpu.device.queue.onSubmittedWorkDone();
      k = 0;
    },
    dispose() {
      scope.release();
    },
  };
}
