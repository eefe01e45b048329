// CPU references (float64) for the Mamba-1 selective scan and its one-step decode update, following
// state-spaces/mamba selective_scan_ref and selective_state_update_ref. No chunking, no GPU concerns.

import { checkLengths } from './check';
import { silu, softplus } from './math';

export interface SelectiveScanParams {
  /** Batch size (the "B" of the upstream (B, D, L) shapes). */
  batch: number;
  /** Channels (model width). */
  D: number;
  L: number;
  /** State size per channel. */
  N: number;
  /** A is complex: A and Aim, and B/C carry interleaved (re, im) pairs. */
  complex: boolean;
  /** 0: B is fixed (D, N); G >= 1: B varies, (batch, G, N, L), channel d uses group d // (D/G). */
  bGroups: number;
  /** Same for C. */
  cGroups: number;
  deltaSoftplus: boolean;
  /** GPU chunk length of the fused scan (ignored by the reference). */
  chunk?: number;
  /** GPU steps per invocation inside a chunk, 1..8, dividing the chunk (ignored by the reference). */
  items?: number;
  /**
   * GPU carries between chunks (ignored by the reference): 'chained' (default) is one dispatch in which
   * a chunk waits for its predecessor's published state; 'passes' is the portable three-dispatch form
   * (aggregates, carry scan, apply) for devices where one workgroup must never wait for another.
   */
  carry?: 'chained' | 'passes';
}

export interface SelectiveScanInputs {
  u: ArrayLike<number>; // (batch, D, L)
  delta: ArrayLike<number>; // (batch, D, L)
  A: ArrayLike<number>; // (D, N) real part
  Aim?: ArrayLike<number>; // (D, N) imaginary part (complex A only)
  /** Fixed: (D, N), complex (D, N, 2). Variable: (batch, G, N, L), complex (batch, G, N, 2L) (re, im). */
  B: ArrayLike<number>;
  C: ArrayLike<number>;
  Dskip?: ArrayLike<number>; // (D,)
  z?: ArrayLike<number>; // (batch, D, L)
  deltaBias?: ArrayLike<number>; // (D,)
}

export interface SelectiveScanOutputs {
  [k: string]: Float64Array | Float32Array;
  out: Float64Array | Float32Array; // (batch, D, L)
  /** (batch, D, N); complex A: (batch, D, N, 2) interleaved (re, im). */
  lastState: Float64Array | Float32Array;
}

/** Element strides of a B or C operand: address of (b, d, n, t) and the offset of its imaginary part. */
export interface BCStrides {
  sb: number;
  sg: number;
  sn: number;
  st: number;
  si: number;
  /** Channels per group (1 for fixed B/C, where the "group" is the channel itself). */
  perGroup: number;
}

export function bcStrides(p: SelectiveScanParams, groups: number): BCStrides {
  const c = p.complex ? 2 : 1;
  if (groups === 0) return { sb: 0, sg: p.N * c, sn: c, st: 0, si: 1, perGroup: 1 };
  return { sb: groups * p.N * p.L * c, sg: p.N * p.L * c, sn: p.L * c, st: c, si: 1, perGroup: p.D / groups };
}

export function bcLength(p: SelectiveScanParams, groups: number): number {
  const c = p.complex ? 2 : 1;
  return groups === 0 ? p.D * p.N * c : p.batch * groups * p.N * p.L * c;
}

/** Clear messages for inconsistent sizes, shared by the reference and the GPU programs. */
export function checkSelectiveScan(p: SelectiveScanParams, x: SelectiveScanInputs): void {
  const ints = { batch: p.batch, D: p.D, L: p.L, N: p.N };
  for (const [k, v] of Object.entries(ints)) {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`selectiveScan: ${k} must be a positive integer, got ${v}`);
  }
  for (const [k, g] of [
    ['B', p.bGroups],
    ['C', p.cGroups],
  ] as const) {
    if (!Number.isInteger(g) || g < 0 || (g > 0 && p.D % g !== 0))
      throw new Error(`selectiveScan: ${k} groups ${g} must divide D=${p.D}`);
  }
  const n = p.batch * p.D * p.L;
  checkLengths('selectiveScan', [
    ['u', x.u, n],
    ['delta', x.delta, n],
    ['A', x.A, p.D * p.N],
    ['Aim', p.complex ? x.Aim : undefined, p.D * p.N],
    ['B', x.B, bcLength(p, p.bGroups)],
    ['C', x.C, bcLength(p, p.cGroups)],
    ['D', x.Dskip, p.D],
    ['z', x.z, n],
    ['delta_bias', x.deltaBias, p.D],
  ]);
  if (p.complex && !x.Aim) throw new Error('selectiveScan: complex A needs its imaginary part');
}

/** δ' = softplus(δ + bias) (each step optional), as the scan applies it. */
export function discretizedDelta(delta: number, bias: number, doSoftplus: boolean): number {
  const v = delta + bias;
  return doSoftplus ? softplus(v) : v;
}

export function selectiveScan(p: SelectiveScanParams, x: SelectiveScanInputs): SelectiveScanOutputs {
  checkSelectiveScan(p, x);
  const out = new Float64Array(p.batch * p.D * p.L);
  const lastState = new Float64Array(p.batch * p.D * p.N * (p.complex ? 2 : 1));
  selectiveScanRange(p, x, lastState, out, 0, p.L);
  return { out, lastState };
}

/**
 * Advances `state` (batch, D, N[, 2]) through steps t0 .. t1-1, writing out[:, :, t] for each:
 * the whole scan is one call, the recurrent stepper calls it once per step.
 */
export function selectiveScanRange(
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  state: Float64Array,
  out: Float64Array,
  t0: number,
  t1: number,
): void {
  const { batch, D, L, N } = p;
  const cx = p.complex ? 2 : 1;
  const sB = bcStrides(p, p.bGroups);
  const sC = bcStrides(p, p.cGroups);
  for (let b = 0; b < batch; b++) {
    for (let d = 0; d < D; d++) {
      const row = (b * D + d) * L;
      const s0 = (b * D + d) * N * cx;
      const bBase = b * sB.sb + Math.floor(d / sB.perGroup) * sB.sg;
      const cBase = b * sC.sb + Math.floor(d / sC.perGroup) * sC.sg;
      for (let t = t0; t < t1; t++) {
        const dl = discretizedDelta(x.delta[row + t], x.deltaBias?.[d] ?? 0, p.deltaSoftplus);
        const ut = x.u[row + t];
        let y = 0;
        for (let n = 0; n < N; n++) {
          const ar = x.A[d * N + n];
          const bi = bBase + n * sB.sn + t * sB.st;
          const ci = cBase + n * sC.sn + t * sC.st;
          const si = s0 + n * cx;
          if (!p.complex) {
            state[si] = Math.exp(dl * ar) * state[si] + dl * x.B[bi] * ut;
            y += state[si] * x.C[ci];
            continue;
          }
          const ai = x.Aim?.[d * N + n] ?? 0;
          const mag = Math.exp(dl * ar);
          const er = mag * Math.cos(dl * ai);
          const ei = mag * Math.sin(dl * ai);
          const re = state[si];
          const im = state[si + 1];
          state[si] = er * re - ei * im + dl * x.B[bi] * ut;
          state[si + 1] = er * im + ei * re + dl * x.B[bi + sB.si] * ut;
          y += 2 * (state[si] * x.C[ci] - state[si + 1] * x.C[ci + sC.si]);
        }
        let o = y + (x.Dskip ? ut * x.Dskip[d] : 0);
        if (x.z) o *= silu(x.z[row + t]);
        out[row + t] = o;
      }
    }
  }
}

export interface StateUpdateParams {
  batch: number;
  /** Heads (1 for Mamba-1). */
  H: number;
  /** Channels per head (Mamba-1: the model width; Mamba-2: the head dim P). */
  P: number;
  N: number;
  /** Groups of B/C: head h uses group h // (H/G). */
  G: number;
  dtSoftplus: boolean;
}

/** Canonical (already broadcast) inputs of one decode step. */
export interface StateUpdateInputs {
  state: ArrayLike<number>; // (batch, H, P, N)
  x: ArrayLike<number>; // (batch, H, P)
  dt: ArrayLike<number>; // (batch, H, P)
  A: ArrayLike<number>; // (H, P, N)
  B: ArrayLike<number>; // (batch, G, N)
  C: ArrayLike<number>; // (batch, G, N)
  Dskip?: ArrayLike<number>; // (H, P)
  z?: ArrayLike<number>; // (batch, H, P)
  dtBias?: ArrayLike<number>; // (H, P)
}

export function checkStateUpdate(p: StateUpdateParams, x: StateUpdateInputs): void {
  for (const [k, v] of Object.entries({ batch: p.batch, H: p.H, P: p.P, N: p.N, G: p.G })) {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`stateUpdate: ${k} must be a positive integer, got ${v}`);
  }
  if (p.H % p.G !== 0) throw new Error(`stateUpdate: G=${p.G} must divide H=${p.H}`);
  const bhp = p.batch * p.H * p.P;
  checkLengths('stateUpdate', [
    ['state', x.state, bhp * p.N],
    ['x', x.x, bhp],
    ['dt', x.dt, bhp],
    ['A', x.A, p.H * p.P * p.N],
    ['B', x.B, p.batch * p.G * p.N],
    ['C', x.C, p.batch * p.G * p.N],
    ['D', x.Dskip, p.H * p.P],
    ['z', x.z, bhp],
    ['dt_bias', x.dtBias, p.H * p.P],
  ]);
}

export function selectiveStateUpdate(
  p: StateUpdateParams,
  x: StateUpdateInputs,
): { out: Float64Array; newState: Float64Array } {
  checkStateUpdate(p, x);
  const { batch, H, P, N, G } = p;
  const out = new Float64Array(batch * H * P);
  const newState = new Float64Array(batch * H * P * N);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / (H / G));
      for (let q = 0; q < P; q++) {
        const hp = h * P + q;
        const i = (b * H + h) * P + q;
        const dt = discretizedDelta(x.dt[i], x.dtBias?.[hp] ?? 0, p.dtSoftplus);
        let y = 0;
        for (let n = 0; n < N; n++) {
          const bn = (b * G + g) * N + n;
          const s = x.state[i * N + n] * Math.exp(dt * x.A[hp * N + n]) + dt * x.B[bn] * x.x[i];
          newState[i * N + n] = s;
          y += s * x.C[bn];
        }
        if (x.Dskip) y += x.x[i] * x.Dskip[hp];
        if (x.z) y *= silu(x.z[i]);
        out[i] = y;
      }
    }
  }
  return { out, newState };
}
