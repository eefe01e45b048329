// Golden adapters for the Mamba-1 family: golden case (upstream shapes) -> canonical program inputs
// -> outputs, on both backends. Layouts come from array ranks and shapes, never from case names.

import { causalConv1dGpu } from '../../programs/mamba/causalConv1d';
import { causalConv1dUpdateGpu } from '../../programs/mamba/causalConv1dUpdate';
import { selectiveScanChunkedGpu } from '../../programs/mamba/selectiveScanChunked';
import { selectiveStateUpdateGpu } from '../../programs/mamba/selectiveStateUpdate';
import { causalConv1d, causalConv1dUpdate } from '../../reference/causalConv1d';
import {
  type SelectiveScanInputs,
  type SelectiveScanParams,
  type StateUpdateInputs,
  type StateUpdateParams,
  selectiveScan,
  selectiveStateUpdate,
} from '../../reference/mamba';
import type { GArray, GoldenAdapter, GoldenCase, GoldenOutputs } from '../format';
import { param } from '../format';
import { caseAdapter } from './checked';
import { deinterleave } from '../../util/complex';

function interleave(re: ArrayLike<number>, im?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(2 * re.length);
  for (let i = 0; i < re.length; i++) {
    out[2 * i] = re[i];
    out[2 * i + 1] = im?.[i] ?? 0;
  }
  return out;
}

function opt(c: GoldenCase, name: string): Float64Array | undefined {
  return c.inputs[name]?.data;
}

/** B or C: rank 2 is fixed (D, N); rank 3 is (B, N, L) = one group; rank 4 is (B, G, N, L). */
function bcOperand(g: GArray, complex: boolean): { groups: number; data: Float64Array } {
  const groups = g.shape.length === 2 ? 0 : g.shape.length === 3 ? 1 : g.shape[1];
  if (!complex) return { groups, data: g.data };
  // complex128 arrays interleave element by element; real arrays with complex A are already (…, 2L) or
  // fixed real (D, N), which gets a zero imaginary part.
  if (g.imag || groups === 0) return { groups, data: interleave(g.data, g.imag) };
  return { groups, data: g.data };
}

export function scanFromCase(c: GoldenCase): { p: SelectiveScanParams; x: SelectiveScanInputs } {
  const [batch, D, L] = c.inputs.u.shape;
  const A = c.inputs.A;
  const N = A.shape[A.shape.length - 1];
  const complex = A.imag !== undefined;
  const B = bcOperand(c.inputs.B, complex);
  const C = bcOperand(c.inputs.C, complex);
  const p: SelectiveScanParams = {
    batch,
    D,
    L,
    N,
    complex,
    bGroups: B.groups,
    cGroups: C.groups,
    deltaSoftplus: Boolean(param(c, 'delta_softplus', false)),
  };
  const x: SelectiveScanInputs = {
    u: c.inputs.u.data,
    delta: c.inputs.delta.data,
    A: A.data,
    Aim: A.imag,
    B: B.data,
    C: C.data,
    Dskip: opt(c, 'D'),
    z: opt(c, 'z'),
    deltaBias: opt(c, 'delta_bias'),
  };
  return { p, x };
}

function scanOutputs(p: SelectiveScanParams, out: ArrayLike<number>, last: ArrayLike<number>): GoldenOutputs {
  return { out, last_state: p.complex ? deinterleave(last, (n) => new Float64Array(n)) : last };
}

/** Repeats a per-head array, (H,) or (batch, H), over the head dim P; a full (…, P) array stays as is. */
function perRow(v: Float64Array | undefined, full: number, P: number): Float64Array | undefined {
  if (!v || v.length === full) return v;
  return Float64Array.from({ length: v.length * P }, (_, i) => v[Math.floor(i / P)]);
}

export function stateUpdateFromCase(c: GoldenCase): { p: StateUpdateParams; x: StateUpdateInputs } {
  const st = c.inputs.state;
  const [batch, H, P, N] = st.shape.length === 3 ? [st.shape[0], 1, st.shape[1], st.shape[2]] : st.shape;
  const Bg = c.inputs.B;
  const G = Bg.shape.length === 2 ? 1 : Bg.shape[1];
  // A is (dim, n), (h, dim, n) or per head (h,): broadcast over (P, N).
  const a = c.inputs.A.data;
  const A =
    a.length === H * P * N
      ? a
      : Float64Array.from({ length: H * P * N }, (_, i) => a[Math.floor(i / (P * N))]);
  const p: StateUpdateParams = { batch, H, P, N, G, dtSoftplus: Boolean(param(c, 'dt_softplus', false)) };
  const x: StateUpdateInputs = {
    state: st.data,
    x: c.inputs.x.data,
    dt: perRow(c.inputs.dt.data, batch * H * P, P) as Float64Array,
    A,
    B: Bg.data,
    C: c.inputs.C.data,
    Dskip: perRow(opt(c, 'D'), H * P, P),
    z: opt(c, 'z'),
    dtBias: perRow(opt(c, 'dt_bias'), H * P, P),
  };
  return { p, x };
}

function convFromCase(c: GoldenCase) {
  const [batch, D, L] = c.inputs.x.shape;
  const W = c.inputs.weight.shape[1];
  const act = param<string | null>(c, 'activation', null);
  return {
    p: { batch, D, L, W, silu: act === 'silu' || act === 'swish' },
    x: {
      x: c.inputs.x.data,
      weight: c.inputs.weight.data,
      bias: opt(c, 'bias'),
      initialStates: opt(c, 'initial_states'),
    },
  };
}

/** x is (b, d) or (b, d, seqlen); a multi-token update is seqlen single steps. Column t of x: */
function stepInput(c: GoldenCase, t: number): Float64Array {
  const xs = c.inputs.x;
  const T = xs.shape.length === 3 ? xs.shape[2] : 1;
  return Float64Array.from({ length: xs.shape[0] * xs.shape[1] }, (_, r) => xs.data[r * T + t]);
}

function steps(c: GoldenCase): number {
  return c.inputs.x.shape.length === 3 ? c.inputs.x.shape[2] : 1;
}

function putColumn(out: Float64Array, col: ArrayLike<number>, t: number, T: number): void {
  for (let i = 0; i < col.length; i++) out[i * T + t] = col[i];
}

function convUpdateParams(c: GoldenCase) {
  const [batch, D] = c.inputs.x.shape;
  const act = param<string | null>(c, 'activation', null);
  return {
    batch,
    D,
    W: c.inputs.weight.shape[1],
    S: c.inputs.conv_state.shape[2],
    silu: act === 'silu' || act === 'swish',
  };
}

export const mambaAdapters: Record<string, GoldenAdapter> = {
  selective_scan_ref: caseAdapter(
    scanFromCase,
    ({ p, x }) => ({ p, r: selectiveScan(p, x) }),
    async (gpu, { p, x }) => ({ p, r: await selectiveScanChunkedGpu(gpu, p, x) }),
    ({ p, r }: { p: SelectiveScanParams; r: { out: ArrayLike<number>; lastState: ArrayLike<number> } }) =>
      scanOutputs(p, r.out, r.lastState),
  ),
  selective_state_update_ref: caseAdapter(
    stateUpdateFromCase,
    ({ p, x }) => selectiveStateUpdate(p, x),
    (gpu, { p, x }) => selectiveStateUpdateGpu(gpu, p, x),
    (r: { out: ArrayLike<number>; newState: ArrayLike<number> }) => ({ out: r.out, new_state: r.newState }),
  ),
  causal_conv1d_ref: caseAdapter(
    convFromCase,
    ({ p, x }) => causalConv1d(p, x),
    (gpu, { p, x }) => causalConv1dGpu(gpu, p, x),
    (r: { out: ArrayLike<number>; finalStates: ArrayLike<number> }) => ({
      out: r.out,
      final_states: r.finalStates,
    }),
  ),
  causal_conv1d_update_ref: {
    cpu(c) {
      const p = convUpdateParams(c);
      const T = steps(c);
      const out = new Float64Array(p.batch * p.D * T);
      let state: ArrayLike<number> = c.inputs.conv_state.data;
      for (let t = 0; t < T; t++) {
        const r = causalConv1dUpdate(p, stepInput(c, t), state, c.inputs.weight.data, opt(c, 'bias'));
        putColumn(out, r.out, t, T);
        state = r.newConvState;
      }
      return { out, new_conv_state: state };
    },
    async gpu(gpu, c) {
      const p = convUpdateParams(c);
      const T = steps(c);
      const out = new Float64Array(p.batch * p.D * T);
      let convState: ArrayLike<number> = c.inputs.conv_state.data;
      for (let t = 0; t < T; t++) {
        const x = stepInput(c, t);
        const r = await causalConv1dUpdateGpu(gpu, p, {
          x,
          convState,
          weight: c.inputs.weight.data,
          bias: opt(c, 'bias'),
        });
        putColumn(out, r.out, t, T);
        convState = r.newConvState;
      }
      return { out, new_conv_state: convState };
    },
  },
};
