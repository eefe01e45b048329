// The `ssm` stage's composite, imported by the app as the `ssmStage` namespace: HiPPO-LegS A, B, seeded C,
// D = 1/2, a chosen input u; both discretizations, the kernel, the convolution and the recurrence in one
// GPU submission (dispatch builders of the s4 family, no kernel of its own), the stage's stepper and step
// count, and the validation of the stage's parameter ranges.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import { runDispatches } from '../gpu/kernel';
import { BufferScope, readF32, storageBytes } from '../gpu/tensor';
import { readTrace, traceBuffer, traceWords } from '../trace/events';
import { discretizeBilinearDense, discretizeZohDense } from '../reference/discretize';
import { fftConv, nextPow2 } from '../reference/fft';
import { hippoLegs } from '../reference/hippo';
import { s4KernelDense, ssmScanDense } from '../reference/s4';
import { Rng } from '../util/rng';
import { checkDiscretizeStatus, discretizeDenseDispatch } from '../programs/s4/discretizeDense';
import { fftConvDispatches } from '../programs/s4/fftConv';
import { s4KernelDenseDispatch } from '../programs/s4/s4Kernel';
import { SCAN_TRACE, ssmScanDispatch } from '../programs/s4/ssmScan';
import {
  createDenseScanStepper,
  type DenseScanStep,
  denseScanStepCount,
} from '../programs/s4/ssmScanStepper';
import type { Stepper } from '../programs/program';
import type { Program } from '../programs/program';

export type Signal = 'step' | 'sine' | 'noise' | 'spike';
export type Disc = 'zoh' | 'bilinear';

export interface SsmStageParams {
  /** State size. */
  N: number;
  /** Sequence length. */
  L: number;
  /** Step size Δ. */
  dt: number;
  /** Discretization used for the recurrent and convolution views. */
  disc: Disc;
  signal: Signal;
}

export interface SsmStageInputs {
  A: Float32Array; // (N, N) HiPPO-LegS
  B: Float32Array; // (N,)
  C: Float32Array; // (N,) seeded
  D: number; // skip
  u: Float32Array; // (L,) the chosen signal
}

/** Everything the stage shows, from one program run (GPU or CPU). */
export type SsmStageOutputs = {
  AbarZoh: Float32Array | Float64Array; // (N, N)
  BbarZoh: Float32Array | Float64Array; // (N,)
  AbarBilinear: Float32Array | Float64Array; // (N, N)
  BbarBilinear: Float32Array | Float64Array; // (N,)
  K: Float32Array | Float64Array; // (L,) kernel for params.disc: K_l = C Ā^l B̄
  yConv: Float32Array | Float64Array; // (L,) K * u + D u
  yRec: Float32Array | Float64Array; // (L,) the recurrence x_k = Ā x_{k-1} + B̄ u_k, y_k = C x_k + D u_k
  states: Float32Array | Float64Array; // (L, N) x_k for every k
};

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
    const run = await runDispatches(gpu, 'ssmStage', dispatches, { time });
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
    return {
      outputs,
      gpuMs: run.gpuMs,
      trace: trace ? await readTrace(gpu, traceBuf, SCAN_TRACE) : null,
      dispatches: run.dispatches,
    };
  } finally {
    scope.release();
  }
}

export const program: Program<SsmStageParams, SsmStageInputs, SsmStageOutputs> = {
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

/** One recurrence step per dispatch, read back after each: what the animated recurrent view shows. */
export type SsmStep = DenseScanStep;
export type SsmStepper = Stepper<SsmStep>;

/**
 * The largest storage buffer a traced run and its stepper allocate, in bytes (what must fit in one binding):
 * the convolution's two spectrum rows of nextPow2(2L) complex, the states (L, N), ZOH's work space
 * 3 (N+1)², or the scan's 16 trace records; every other buffer is smaller than one of these.
 */
export function largestBinding(p: Pick<SsmStageParams, 'N' | 'L'>): number {
  const { N, L } = p;
  return Math.max(
    storageBytes(2 * nextPow2(2 * L) * 8),
    storageBytes(L * N * 4),
    storageBytes(3 * (N + 1) * (N + 1) * 4),
    storageBytes(traceWords(16) * 4),
  );
}

/** Playback steps for these params: one per input sample. */
export const stepCount = (p: Pick<SsmStageParams, 'L'>): number => denseScanStepCount(p);

/**
 * gpu null -> a float64 CPU stepper. Otherwise one dispatch of the scan kernel per step on the chosen
 * discretization, reading back x_k and y_k after each. A step resolves to {k, x, y} for the step k it ran.
 */
export async function createStepper(
  gpu: Gpu | null,
  p: SsmStageParams,
  discretized: { Abar: ArrayLike<number>; Bbar: ArrayLike<number> },
  inputs: SsmStageInputs,
): Promise<SsmStepper> {
  validateSsmStageParams(p);
  checkInputs(p, inputs);
  return createDenseScanStepper(gpu, p, { ...discretized, C: inputs.C, u: inputs.u, D: inputs.D });
}
