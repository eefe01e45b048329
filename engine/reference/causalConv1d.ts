// CPU references (float64) for Dao-AILab causal_conv1d: the depthwise causal conv of the Mamba block
// (cross-correlation: weight[:, W-1] multiplies x[t]) and its one-step decode update. No GPU concerns.

import { checkLengths } from './check';
import { silu } from './math';

export interface CausalConv1dParams {
  batch: number;
  /** Channels. */
  D: number;
  L: number;
  /** Kernel width. */
  W: number;
  silu: boolean;
}

export interface CausalConv1dInputs {
  x: ArrayLike<number>; // (batch, D, L)
  weight: ArrayLike<number>; // (D, W)
  bias?: ArrayLike<number>; // (D,)
  initialStates?: ArrayLike<number>; // (batch, D, W-1)
}

export function checkCausalConv1d(p: CausalConv1dParams, x: CausalConv1dInputs): void {
  for (const [k, v] of Object.entries({ batch: p.batch, D: p.D, L: p.L, W: p.W })) {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`causalConv1d: ${k} must be a positive integer, got ${v}`);
  }
  checkLengths('causalConv1d', [
    ['x', x.x, p.batch * p.D * p.L],
    ['weight', x.weight, p.D * p.W],
    ['bias', x.bias, p.D],
    ['initial_states', x.initialStates, p.batch * p.D * (p.W - 1)],
  ]);
}

/** out (batch, D, L) and finalStates (batch, D, W-1): the last W-1 inputs (initial states reach in if L < W-1). */
export function causalConv1d(
  p: CausalConv1dParams,
  x: CausalConv1dInputs,
): { out: Float64Array; finalStates: Float64Array } {
  checkCausalConv1d(p, x);
  const { batch, D, L, W } = p;
  const S = W - 1;
  const out = new Float64Array(batch * D * L);
  const finalStates = new Float64Array(batch * D * S);
  for (let bd = 0; bd < batch * D; bd++) {
    const d = bd % D;
    // Input at time s, where s < 0 reaches into the initial states (zeros when absent).
    const at = (s: number) => (s >= 0 ? x.x[bd * L + s] : (x.initialStates?.[bd * S + S + s] ?? 0));
    for (let t = 0; t < L; t++) {
      let acc = x.bias?.[d] ?? 0;
      for (let w = 0; w < W; w++) acc += x.weight[d * W + w] * at(t - S + w);
      out[bd * L + t] = p.silu ? silu(acc) : acc;
    }
    for (let j = 0; j < S; j++) finalStates[bd * S + j] = at(L - S + j);
  }
  return { out, finalStates };
}

export interface ConvUpdateParams {
  batch: number;
  D: number;
  W: number;
  /** Length of the rolling state, at least W-1. */
  S: number;
  silu: boolean;
}

/** One decode step: window = [conv_state, x]; out = act(bias + Σ_w weight[w]·window[S+1-W+w]); state = window[1:]. */
export function causalConv1dUpdate(
  p: ConvUpdateParams,
  x: ArrayLike<number>, // (batch, D)
  convState: ArrayLike<number>, // (batch, D, S)
  weight: ArrayLike<number>, // (D, W)
  bias?: ArrayLike<number>, // (D,)
): { out: Float64Array; newConvState: Float64Array } {
  const { batch, D, W, S } = p;
  if (S < W - 1) throw new Error(`causalConv1dUpdate: state length ${S} is shorter than W-1=${W - 1}`);
  if (x.length !== batch * D || convState.length !== batch * D * S || weight.length !== D * W)
    throw new Error('causalConv1dUpdate: inconsistent shapes of x, conv_state and weight');
  const out = new Float64Array(batch * D);
  const newConvState = new Float64Array(batch * D * S);
  for (let bd = 0; bd < batch * D; bd++) {
    const d = bd % D;
    const win = (i: number) => (i < S ? convState[bd * S + i] : x[bd]);
    let acc = bias?.[d] ?? 0;
    for (let w = 0; w < W; w++) acc += weight[d * W + w] * win(S + 1 - W + w);
    out[bd] = p.silu ? silu(acc) : acc;
    for (let i = 0; i < S; i++) newConvState[bd * S + i] = win(i + 1);
  }
  return { out, newConvState };
}
