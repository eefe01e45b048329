// selectiveScanSequential: the plain per-row sequential selective scan on the GPU (the baseline the
// fused chunked scan is checked against), and the recurrent stepper: one time step per dispatch, with
// the state and out[:, t] read back after step t. CPU side: reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel, runDispatches } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type Uniform, uniformFor } from '../../gpu/uniforms';
import { buildInScope } from '../../gpu/run';
import {
  type SelectiveScanInputs,
  type SelectiveScanParams,
  checkSelectiveScan,
  selectiveScanRange,
} from '../../reference/mamba';
import { makeStepper, type RunOptions, type Stepper } from '../program';
import {
  packScan,
  scanProgram,
  SCAN_SOURCES,
  type ScanBuffers,
  scanOutputs,
  scanParams,
  scanRows,
  stateLength,
  runScan,
} from './common';

const MAX_SPT = 8;
const LABEL = 'selectiveScanSequential';

export function selectiveScanSequentialKernel(gpu: Gpu, p: SelectiveScanParams): Promise<Kernel> {
  let nt = 1;
  while (nt < p.N && nt < 64) nt *= 2;
  const spt = Math.ceil(p.N / nt);
  if (spt > MAX_SPT) throw new EngineError(LABEL, `N=${p.N} exceeds ${nt * MAX_SPT} states per channel`);
  return kernel(gpu, {
    label: `${LABEL}.walk`,
    sources: [...SCAN_SOURCES, 'mamba/selectiveScanSequential.wgsl'],
    constants: { NT: nt, SPT: spt, COMPLEX: p.complex ? 1 : 0 },
  });
}

/**
 * One dispatch walking steps t0 .. t1-1 of every row on buffers it is given: `state` (batch, D, N[, 2]) is
 * read at t0 and written at t1, out (batch, D, L) is written at the steps walked. `window.set({t0, t1})`
 * moves the window for the next run of the same dispatch.
 */
export async function selectiveScanSequentialDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SelectiveScanParams,
  b: ScanBuffers & { out: GPUBuffer; state: GPUBuffer },
  steps: { t0: number; t1: number } = { t0: 0, t1: p.L },
): Promise<Dispatch & { window: Uniform }> {
  const k = await selectiveScanSequentialKernel(gpu, p);
  const params = uniformFor(scope, k, scanParams(p, b.z), 'p');
  const window = uniformFor(scope, k, steps, 'w');
  const { seq, bc, chan, out, state } = b;
  return {
    kernel: k,
    bindings: { p: params.buffer, w: window.buffer, seq, bc, chan, outBuf: out, state },
    workgroups: gridFor(gpu, LABEL, scanRows(p)).workgroups,
    window,
  };
}

export async function selectiveScanSequentialGpu(
  gpu: Gpu,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  opts: RunOptions = {},
) {
  return runScan(gpu, LABEL, p, x, opts.time, (scope, b) =>
    selectiveScanSequentialDispatch(gpu, scope, p, { ...b, state: b.lastState }),
  );
}

export const selectiveScanSequentialProgram = scanProgram(
  LABEL,
  'Selective scan, sequential over L (one workgroup per channel)',
  selectiveScanSequentialGpu,
);

/** The state after step t of the recurrent view x_t = ΔA_t x_{t-1} + ΔB_t u_t. */
export interface SelectiveScanStep {
  t: number;
  /** (batch, D, N), or (batch, D, N, 2) for complex A. */
  state: Float32Array | Float64Array;
  /** out[:, :, t]: (batch, D). */
  out: Float32Array | Float64Array;
}

/** Steps in all: one per time step. */
export const selectiveScanStepCount = (p: { L: number }): number => p.L;

function cpuStepper(p: SelectiveScanParams, x: SelectiveScanInputs): Stepper<SelectiveScanStep> {
  const rows = scanRows(p);
  const state = new Float64Array(stateLength(p));
  const out = new Float64Array(rows * p.L);
  return makeStepper(`${LABEL}.step`, {
    backend: 'cpu',
    count: selectiveScanStepCount(p),
    advance(t) {
      selectiveScanRange(p, x, state, out, t, t + 1);
      return {
        t,
        state: state.slice(),
        out: Float64Array.from({ length: rows }, (_, r) => out[r * p.L + t]),
      };
    },
    reset() {
      state.fill(0);
    },
  });
}

/** gpu null (or unusable) -> the float64 CPU stepper; otherwise one sequential-scan dispatch per step. */
export async function createSelectiveScanStepper(
  gpu: Gpu | null,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
): Promise<Stepper<SelectiveScanStep>> {
  checkSelectiveScan(p, x);
  if (gpu?.status !== 'ok') return cpuStepper(p, x);
  return buildInScope(gpu, `${LABEL}.stepper`, async (scope) => {
    const o = scanOutputs(scope, p);
    const b = { ...packScan(scope, p, x), out: o.out, state: o.lastState };
    const d = await selectiveScanSequentialDispatch(gpu, scope, p, b, { t0: 0, t1: 1 });
    return makeStepper(`${LABEL}.step`, {
      backend: 'webgpu',
      count: selectiveScanStepCount(p),
      async advance(t) {
        d.window.set({ t0: t, t1: t + 1 });
        await runDispatches(gpu, `${LABEL}.step`, [d]);
        const [state, out] = await readStep(gpu, b.state, stateLength(p), b.out, scanRows(p), p.L, t);
        return { t, state, out };
      },
      async reset() {
        gpu.device.queue.writeBuffer(b.state, 0, new Float32Array(stateLength(p)));
        await gpu.device.queue.onSubmittedWorkDone();
      },
      free: () => scope.release(),
    });
  });
}

/** The state (n values) and column t of out (rows, L), through one staging buffer: one map per step. */
async function readStep(
  gpu: Gpu,
  state: GPUBuffer,
  n: number,
  out: GPUBuffer,
  rows: number,
  L: number,
  t: number,
): Promise<[Float32Array, Float32Array]> {
  const staging = gpu.device.createBuffer({
    label: `${LABEL}.stepper.readback`,
    size: (n + rows) * 4,
    usage: 0x1 | 0x8, // MAP_READ | COPY_DST
  });
  try {
    const enc = gpu.device.createCommandEncoder({ label: `${LABEL}.stepper.readback` });
    enc.copyBufferToBuffer(state, 0, staging, 0, n * 4);
    for (let r = 0; r < rows; r++) enc.copyBufferToBuffer(out, (r * L + t) * 4, staging, (n + r) * 4, 4);
    gpu.device.queue.submit([enc.finish()]);
    await staging.mapAsync(1);
    const all = new Float32Array(staging.getMappedRange().slice(0));
    return [all.slice(0, n), all.slice(n)];
  } finally {
    staging.destroy();
  }
}
