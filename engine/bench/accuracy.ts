// The benchmark's accuracy checks: a variant's first run against the float64 reference, on a sample of the
// problem's independent parts (query rows of attention, channels of the selective scan, heads of SSD), so a
// check stays cheap at L = 16K and a kernel that is fast and wrong is never reported (harness.ts measure).
// Each check returns max|got − ref| / max(1, max|ref|) over the sampled values, output by output, the
// largest of them: the measure of every program's tolerance. References are computed once per inputs
// object (all variants of a row share theirs).

import { type AttnShape, attentionRow, qIndex, resolveScale } from '../reference/attention';
import type { SelectiveScanInputs, SelectiveScanParams } from '../reference/mamba';
import { selectiveScanChunkedProgram } from '../programs/mamba/selectiveScanChunked';
import { ssdChunkedProgram, type SsdHostInputs } from '../programs/ssd/ssdChunked';
import type { SsdDims } from '../reference/ssd';
import { maxAbs, maxAbsDiff, type Numeric } from '../util/compare';

/** max|got − want| / max(1, max|want|): infinite where a non-finite value differs. */
export function relError(got: Numeric, want: Numeric): number {
  return maxAbsDiff(got, want) / Math.max(1, maxAbs(want));
}

/** `f` of each inputs object once. */
export function perInputs<I extends object, R>(f: (x: I) => R): (x: I) => R {
  const seen = new WeakMap<I, R>();
  return (x) => {
    if (!seen.has(x)) seen.set(x, f(x));
    return seen.get(x) as R;
  };
}

/** `count` indices spread evenly over [0, n), the first and the last among them. */
export function spread(n: number, count: number): number[] {
  const k = Math.min(n, count);
  return [...new Set(Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / Math.max(1, k - 1))))];
}

/** Rows `rows` (each `width` long) of a row-major array, end to end. */
function gather(a: ArrayLike<number>, rows: readonly number[], width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => {
    for (let c = 0; c < width; c++) out[i * width + c] = a[r * width + c];
  });
  return out;
}

/**
 * The selective scan on `channels` sampled channels (batch 1, B and C of one group or fixed), against the
 * reference of the same channels alone: out (batch, D, L) and the last state (batch, D, N).
 */
export function scanError(p: SelectiveScanParams, channels = 8) {
  if (p.batch !== 1 || p.bGroups > 1 || p.cGroups > 1 || p.complex)
    throw new Error('scanError samples batch 1, real A, B and C of at most one group');
  const ds = spread(p.D, channels);
  const sub = { ...p, D: ds.length };
  const ref = perInputs((x: SelectiveScanInputs) => {
    const pick = (a: ArrayLike<number> | undefined, width: number) => (a ? gather(a, ds, width) : undefined);
    const fixed = (a: ArrayLike<number>, groups: number) => (groups === 0 ? gather(a, ds, p.N) : a);
    const xs: SelectiveScanInputs = {
      u: gather(x.u, ds, p.L),
      delta: gather(x.delta, ds, p.L),
      A: gather(x.A, ds, p.N),
      B: fixed(x.B, p.bGroups),
      C: fixed(x.C, p.cGroups),
      Dskip: pick(x.Dskip, 1),
      z: pick(x.z, p.L),
      deltaBias: pick(x.deltaBias, 1),
    };
    return selectiveScanChunkedProgram.reference(sub, xs);
  });
  return (got: { out: Numeric; lastState: Numeric }, x: SelectiveScanInputs) => {
    const want = ref(x);
    return Math.max(
      relError(gather(got.out, ds, p.L), want.out),
      relError(gather(got.lastState, ds, p.N), want.lastState),
    );
  };
}

/**
 * SSD on `heads` sampled heads (batch 1, one B/C group, no initial state), against the reference of those
 * heads alone: Y (batch, T, H, P) and the final state (batch, H, P, N).
 */
export function ssdError(p: SsdDims, heads = 2) {
  if (p.batch !== 1 || p.G !== 1) throw new Error('ssdError samples batch 1 and one B/C group');
  const hs = spread(p.H, heads);
  const sub = { ...p, H: hs.length, Q: Math.min(64, p.T) };
  // (T, H, P) → (T, heads, P): row t·H + h of width P.
  const yRows = Array.from({ length: p.T }, (_, t) => hs.map((h) => t * p.H + h)).flat();
  const ref = perInputs((x: SsdHostInputs) =>
    ssdChunkedProgram.reference(sub, {
      X: Float32Array.from(gather(x.X, yRows, p.P)),
      A: Float32Array.from(gather(x.A, yRows, 1)),
      B: x.B,
      C: x.C,
      init: null,
    }),
  );
  return (got: { Y: Numeric; finalState: Numeric }, x: SsdHostInputs) => {
    const want = ref(x);
    return Math.max(
      relError(gather(got.Y, yRows, p.P), want.Y),
      relError(gather(got.finalState, hs, p.P * p.N), want.finalState),
    );
  };
}

/**
 * The error of O and lse against the float64 reference on `rows` query rows spread over the batch, heads
 * and sequence (the first and the last row among them): the largest |got − ref| over max(1, max |ref|),
 * O and lse each, as program tolerances measure it. Sampled rows keep the check to O(rows·L·d) at any L.
 */
export function attentionError(p: AttnShape & { causal: boolean }, rows = 48) {
  return (
    got: { out: ArrayLike<number>; lse: ArrayLike<number> },
    x: { q: Float32Array; k: Float32Array; v: Float32Array },
  ) => {
    const mask = { causal: p.causal, scale: resolveScale(p.d) };
    const ref = new Float64Array(p.d);
    const scratch = new Float64Array(p.sk);
    const worst = { out: 0, outRef: 1, lse: 0, lseRef: 1 };
    for (let r = 0; r < rows; r++) {
      const at = { b: r % p.b, hh: (r * 7) % p.h, i: Math.round((r * (p.sq - 1)) / Math.max(1, rows - 1)) };
      ref.fill(0);
      const lse = attentionRow(x, p, at, mask, { values: ref, at: 0 }, scratch);
      const o = qIndex(p, at.b, at.i, at.hh);
      for (let c = 0; c < p.d; c++) {
        worst.out = Math.max(worst.out, Math.abs(got.out[o + c] - ref[c]));
        worst.outRef = Math.max(worst.outRef, Math.abs(ref[c]));
      }
      const g = got.lse[(at.b * p.h + at.hh) * p.sq + at.i];
      if (Number.isFinite(lse)) {
        worst.lse = Math.max(worst.lse, Math.abs(g - lse));
        worst.lseRef = Math.max(worst.lseRef, Math.abs(lse));
      } else if (g !== lse) worst.lse = Number.POSITIVE_INFINITY;
    }
    return Math.max(worst.out / worst.outRef, worst.lse / worst.lseRef);
  };
}
