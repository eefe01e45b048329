// The `ssm` stage's program (contract: ssmStageTypes.ts): HiPPO-LegS A, B, seeded C, D = 1/2, a chosen
// input u; both discretizations, the kernel, the convolution and the recurrence in one GPU submission, and
// a stepper running one recurrence step per dispatch. Validation of the stage's parameter ranges lives here.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import { runDispatches } from '../gpu/kernel';
import { BufferScope, readF32 } from '../gpu/tensor';
import { readTrace, traceBuffer } from '../trace/events';
import { discretizeBilinearDense, discretizeZohDense } from '../reference/discretize';
import { fftConv } from '../reference/fft';
import { hippoLegs } from '../reference/hippo';
import { s4KernelDense, ssmScanDense } from '../reference/s4';
import { Rng } from '../util/rng';
import { checkDiscretizeStatus, discretizeDenseDispatch } from '../programs/s4/discretizeDense';
import { fftConvDispatches } from '../programs/s4/fftConv';
import { s4KernelDenseDispatch } from '../programs/s4/s4Kernel';
import type {
  CreateSsmStepper,
  SsmStageInputs,
  SsmStageOutputs,
  SsmStageParams,
  SsmStepper,
  Signal,
} from './ssmTypes';
import { SCAN_TENSORS, ssmScanDispatch } from '../programs/s4/ssmScan';
import type { Program } from '../programs/program';

export const SSM_STAGE_LIMITS = { N: [1, 64], L: [1, 1024], dt: [1e-3, 1] } as const;
const SIGNALS: readonly Signal[] = ['step', 'sine', 'noise', 'spike'];

/** Throws an EngineError naming the first parameter outside the stage's ranges. */
export function validateSsmStageParams(p: SsmStageParams): void {
  const bad = (detail: string) => {
    throw new EngineError('ssmStage', detail);
  };
  const { N, L, dt } = SSM_STAGE_LIMITS;
  if (!Number.isInteger(p.N) || p.N < N[0] || p.N > N[1])
    bad(`N must be an integer in ${N[0]}..${N[1]} (got ${p.N})`);
  if (!Number.isInteger(p.L) || p.L < L[0] || p.L > L[1])
    bad(`L must be an integer in ${L[0]}..${L[1]} (got ${p.L})`);
  if (!(p.dt >= dt[0] && p.dt <= dt[1])) bad(`dt must be in ${dt[0]}..${dt[1]} (got ${p.dt})`);
  if (p.disc !== 'zoh' && p.disc !== 'bilinear')
    bad(`disc must be 'zoh' or 'bilinear' (got ${JSON.stringify(p.disc)})`);
  if (!SIGNALS.includes(p.signal))
    bad(`signal must be one of ${SIGNALS.join(', ')} (got ${JSON.stringify(p.signal)})`);
}

/** u (L,): 'step' 0 then 1 from L/8, 'sine' two periods, 'noise' seeded normals, 'spike' 1 at L/8. */
export function ssmSignal(signal: Signal, L: number, rng: Rng): Float32Array {
  const at = Math.floor(L / 8);
  if (signal === 'noise') return rng.normals(L);
  return Float32Array.from({ length: L }, (_, k) => {
    if (signal === 'step') return k >= at ? 1 : 0;
    if (signal === 'spike') return k === at ? 1 : 0;
    return Math.sin((2 * Math.PI * 2 * k) / L);
  });
}

function checkInputs(p: SsmStageParams, x: SsmStageInputs): void {
  const { N, L } = p;
  if (
    x.A.length !== N * N ||
    x.B.length !== N ||
    x.C.length !== N ||
    x.u.length !== L ||
    !Number.isFinite(x.D)
  )
    throw new EngineError(
      'ssmStage',
      `inputs must be A (${N},${N}), B and C (${N},), u (${L},) and a finite D`,
    );
}

async function runStage(gpu: Gpu, p: SsmStageParams, x: SsmStageInputs, time: boolean, trace: boolean) {
  validateSsmStageParams(p);
  checkInputs(p, x);
  const { N, L } = p;
  const scope = new BufferScope(gpu, 'ssmStage');
  try {
    const A = scope.upload('A', x.A);
    const B = scope.upload('B', x.B);
    const C = scope.upload('C', x.C);
    const u = scope.upload('u', x.u);
    const zoh = await discretizeDenseDispatch(gpu, scope, N, p.dt, 'zoh', A, B);
    const bil = await discretizeDenseDispatch(gpu, scope, N, p.dt, 'bilinear', A, B);
    const chosen = p.disc === 'zoh' ? zoh : bil;
    const k = await s4KernelDenseDispatch(gpu, scope, N, L, { Abar: chosen.Abar, Bbar: chosen.Bbar, C });
    const conv = await fftConvDispatches(
      gpu,
      scope,
      { B: 1, H: 1, L },
      { u, K: k.K, D: scope.upload('D', [x.D]) },
    );
    const yRec = scope.storage('yRec', L * 4);
    const states = scope.storage('states', L * N * 4);
    const traceBuf = traceBuffer(scope, trace ? 16 : 1);
    const scan = await ssmScanDispatch(
      gpu,
      scope,
      { N, L, k0: 0, steps: L, hasX0: false, writeStates: true, impulse: false, D: x.D },
      {
        Abar: chosen.Abar,
        Bbar: chosen.Bbar,
        C,
        u,
        x: scope.storage('x', N * 4),
        y: yRec,
        states,
        trace: traceBuf,
      },
      trace,
    );
    const dispatches = [zoh.dispatch, bil.dispatch, k.dispatch, ...conv.dispatches, scan];
    const { gpuMs } = await runDispatches(gpu, 'ssmStage', dispatches, { time });
    await checkDiscretizeStatus(gpu, zoh.status, 'zoh', p.dt);
    await checkDiscretizeStatus(gpu, bil.status, 'bilinear', p.dt);
    const outputs: SsmStageOutputs = {
      AbarZoh: await readF32(gpu, zoh.Abar, N * N),
      BbarZoh: await readF32(gpu, zoh.Bbar, N),
      AbarBilinear: await readF32(gpu, bil.Abar, N * N),
      BbarBilinear: await readF32(gpu, bil.Bbar, N),
      K: await readF32(gpu, k.K, L),
      yConv: await readF32(gpu, conv.y, L),
      yRec: await readF32(gpu, yRec, L),
      states: await readF32(gpu, states, L * N),
    };
    return { outputs, gpuMs, trace: trace ? await readTrace(gpu, traceBuf, SCAN_TENSORS) : null };
  } finally {
    scope.release();
  }
}

export const ssmStageProgram: Program<SsmStageParams, SsmStageInputs, SsmStageOutputs> = {
  id: 'ssmStage',
  title: 'S4 with HiPPO-LegS: discretization, kernel, convolution and recurrence',
  makeInputs(p, seed) {
    validateSsmStageParams(p);
    const { A, B } = hippoLegs(p.N);
    const rng = new Rng(seed);
    const C = rng.normals(p.N, 1 / Math.sqrt(p.N));
    return { A: Float32Array.from(A), B: Float32Array.from(B), C, D: 0.5, u: ssmSignal(p.signal, p.L, rng) };
  },
  reference(p, x) {
    validateSsmStageParams(p);
    checkInputs(p, x);
    const zoh = discretizeZohDense(x.A, x.B, p.dt);
    const bil = discretizeBilinearDense(x.A, x.B, p.dt);
    const { Abar, Bbar } = p.disc === 'zoh' ? zoh : bil;
    const K = s4KernelDense(Abar, Bbar, x.C, p.L);
    const rec = ssmScanDense(Abar, Bbar, x.C, x.u, null, x.D);
    return {
      AbarZoh: zoh.Abar,
      BbarZoh: zoh.Bbar,
      AbarBilinear: bil.Abar,
      BbarBilinear: bil.Bbar,
      K,
      yConv: fftConv(K, x.u, 1, 1, p.L, [x.D]),
      yRec: rec.y,
      states: rec.states,
    };
  },
  async run(gpu, p, x, opts = {}) {
    return runStage(gpu, p, x, opts.time ?? false, opts.trace ?? false);
  },
  tolerance: 1e-3,
};

function cpuStepper(
  p: SsmStageParams,
  Abar: ArrayLike<number>,
  Bbar: ArrayLike<number>,
  x: SsmStageInputs,
): SsmStepper {
  const N = p.N;
  let state = new Float64Array(N);
  let k = 0;
  return {
    backend: 'cpu',
    L: p.L,
    get k() {
      return k;
    },
    async step() {
      if (k >= p.L)
        throw new EngineError('ssmStage.step', `all L=${p.L} steps are done; reset() to start again`);
      const uk = x.u[k];
      const next = new Float64Array(N);
      let y = x.D * uk;
      for (let i = 0; i < N; i++) {
        let t = Bbar[i] * uk;
        for (let j = 0; j < N; j++) t += Abar[i * N + j] * state[j];
        next[i] = t;
        y += x.C[i] * t;
      }
      state = next;
      return { k: k++, x: Float32Array.from(state), y };
    },
    reset() {
      state = new Float64Array(N);
      k = 0;
    },
    dispose() {},
  };
}

/**
 * gpu null -> a float64 CPU stepper. Otherwise one dispatch of the scan kernel per step (a window of one
 * step on a state buffer that persists on the device), reading back x_k and y_k after each.
 * step() returns the index k of the step it just ran; `k` counts the steps taken.
 */
export const createSsmStepper: CreateSsmStepper = async (gpu, p, discretized, inputs) => {
  validateSsmStageParams(p);
  checkInputs(p, inputs);
  const { N, L } = p;
  const { Abar, Bbar } = discretized;
  if (Abar.length !== N * N || Bbar.length !== N)
    throw new EngineError('ssmStage.stepper', `Ā must be (${N},${N}) and B̄ (${N},)`);
  if (!gpu) return cpuStepper(p, Abar, Bbar, inputs);
  const scope = new BufferScope(gpu, 'ssmStage.stepper');
  let k = 0;
  let disposed = false;
  try {
    const xBuf = scope.storage('x', N * 4);
    const yBuf = scope.storage('y', L * 4);
    const dispatch = await ssmScanDispatch(
      gpu,
      scope,
      { N, L, k0: 0, steps: 1, hasX0: true, writeStates: false, impulse: false, D: inputs.D },
      {
        Abar: scope.upload('Abar', Float32Array.from(Abar)),
        Bbar: scope.upload('Bbar', Float32Array.from(Bbar)),
        C: scope.upload('C', inputs.C),
        u: scope.upload('u', inputs.u),
        x: xBuf,
        y: yBuf,
        states: scope.storage('states', 4),
        trace: traceBuffer(scope, 1),
      },
    );
    const params = dispatch.bindings[0];
    return {
      backend: 'webgpu',
      L,
      get k() {
        return k;
      },
      async step() {
        if (disposed) throw new EngineError('ssmStage.step', 'the stepper was disposed');
        if (k >= L)
          throw new EngineError('ssmStage.step', `all L=${L} steps are done; reset() to start again`);
        gpu.device.queue.writeBuffer(params, 8, Uint32Array.of(k));
        await runDispatches(gpu, 'ssmStage.step', [dispatch]);
        const [x, yk] = await readStep(gpu, xBuf, yBuf, N, k);
        return { k: k++, x, y: yk };
      },
      reset() {
        if (!disposed) gpu.device.queue.writeBuffer(xBuf, 0, new Float32Array(N));
        k = 0;
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        scope.release();
      },
    };
  } catch (err) {
    scope.release();
    throw err;
  }
};

/** Copies x (N,) and y[k] into one staging buffer and maps it: one round trip per step. */
async function readStep(gpu: Gpu, xBuf: GPUBuffer, yBuf: GPUBuffer, N: number, k: number) {
  const staging = gpu.device.createBuffer({
    label: 'ssmStage.stepper.readback',
    size: (N + 1) * 4,
    usage: 0x1 | 0x8, // MAP_READ | COPY_DST
  });
  try {
    const enc = gpu.device.createCommandEncoder({ label: 'ssmStage.stepper.readback' });
    enc.copyBufferToBuffer(xBuf, 0, staging, 0, N * 4);
    enc.copyBufferToBuffer(yBuf, k * 4, staging, N * 4, 4);
    gpu.device.queue.submit([enc.finish()]);
    await staging.mapAsync(1);
    const all = new Float32Array(staging.getMappedRange().slice(0));
    return [all.slice(0, N), all[N]] as const;
  } finally {
    staging.destroy();
  }
}
