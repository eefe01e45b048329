// The contract between the S4 engine programs and the `ssm` stage of the app. The implementation lives in
// engine/stages/ssm.ts; the app imports only these types and that module (through engine/index.ts).

import type { Gpu } from '../gpu/device';

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

/** One recurrence step per dispatch, read back after each: what the animated recurrent view shows. */
export interface SsmStepper {
  readonly backend: 'webgpu' | 'cpu';
  readonly L: number;
  /** Steps taken so far (0 before the first step). */
  readonly k: number;
  /** Runs x_k = Ā x_{k-1} + B̄ u_k on the device and reads back x_k and y_k. Throws past L. */
  step(): Promise<{ k: number; x: Float32Array; y: number }>;
  /** Back to x_{-1} = 0. */
  reset(): void;
  dispose(): void;
}

export type CreateSsmStepper = (
  gpu: Gpu | null,
  p: SsmStageParams,
  discretized: { Abar: ArrayLike<number>; Bbar: ArrayLike<number> },
  inputs: SsmStageInputs,
) => Promise<SsmStepper>;
