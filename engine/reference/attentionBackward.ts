// CPU references (float64) for the gradients of softmax attention (loss sum(dout ∘ out)): the plain form,
// and FlashAttention-2's backward (Alg. 2) over Br×Bc tiles, which recomputes P tile by tile from Q, K and
// the logsumexp instead of storing the L×L matrix. GQA (dK, dV summed over a group's query heads) and
// bottom-right causal masking as in the forward. A fully masked row has lse = +inf, so P = 0 and every
// gradient from it is exactly 0, never NaN.

import {
  type AttnShape,
  checkShape,
  flashAttentionTiled,
  isVisible,
  kIndex,
  qIndex,
  resolveScale,
} from './attention';

type Arr = ArrayLike<number>;

export interface AttnGrads {
  dq: Float64Array; // (b, sq, h, d)
  dk: Float64Array; // (b, sk, h_k, d)
  dv: Float64Array; // (b, sk, h_k, d)
  out: Float64Array; // (b, sq, h, d)
  lse: Float64Array; // (b, h, sq)
  delta: Float64Array; // (b, h, sq) rowsum(dout ∘ out)
}

function zeros(s: AttnShape, lse: Float64Array, out: Float64Array): AttnGrads {
  return {
    dq: new Float64Array(s.b * s.sq * s.h * s.d),
    dk: new Float64Array(s.b * s.sk * s.hk * s.d),
    dv: new Float64Array(s.b * s.sk * s.hk * s.d),
    out,
    lse,
    delta: new Float64Array(s.b * s.h * s.sq),
  };
}

function deltas(s: AttnShape, dout: Arr, g: AttnGrads): void {
  for (let b = 0; b < s.b; b++)
    for (let hh = 0; hh < s.h; hh++)
      for (let i = 0; i < s.sq; i++) {
        const qo = qIndex(s, b, i, hh);
        let acc = 0;
        for (let c = 0; c < s.d; c++) acc += dout[qo + c] * g.out[qo + c];
        g.delta[(b * s.h + hh) * s.sq + i] = acc;
      }
}

/**
 * One (query row i, key j) term of the backward pass, given P_ij = exp(scale·q_i·k_j − lse_i):
 * dV_j += P dO_i; dS = P (dO_i·v_j − delta_i); dQ_i += scale dS k_j; dK_j += scale dS q_i.
 */
function accumulate(
  s: AttnShape,
  x: { q: Arr; k: Arr; v: Arr; dout: Arr },
  g: AttnGrads,
  at: number[],
  P: number,
  scale: number,
) {
  const [qo, ko, li] = at;
  let dP = 0;
  for (let c = 0; c < s.d; c++) dP += x.dout[qo + c] * x.v[ko + c];
  const dS = P * (dP - g.delta[li]);
  for (let c = 0; c < s.d; c++) {
    g.dv[ko + c] += P * x.dout[qo + c];
    g.dq[qo + c] += scale * dS * x.k[ko + c];
    g.dk[ko + c] += scale * dS * x.q[qo + c];
  }
}

function score(s: AttnShape, x: { q: Arr; k: Arr }, qo: number, ko: number, scale: number): number {
  let dot = 0;
  for (let c = 0; c < s.d; c++) dot += x.q[qo + c] * x.k[ko + c];
  return scale * dot;
}

/** attention_backward: the forward, then dQ, dK, dV from the whole P of each row. */
export function attentionBackward(
  q: Arr,
  k: Arr,
  v: Arr,
  dout: Arr,
  s: AttnShape,
  causal: boolean,
  scale = resolveScale(s.d),
): AttnGrads {
  checkShape(s, { q: q.length, k: k.length, v: v.length });
  if (dout.length !== q.length)
    throw new Error(`attention_backward: dout has ${dout.length} values, want ${q.length}`);
  const x = { q, k, v, dout };
  const g = zeros(s, new Float64Array(s.b * s.h * s.sq), new Float64Array(q.length));
  const row = new Float64Array(s.sk);
  forEachQueryRow(s, (b, kh, i, qo, li) => {
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < s.sk; j++) {
      row[j] = isVisible(i, j, s.sq, s.sk, causal)
        ? score(s, x, qo, kIndex(s, b, j, kh), scale)
        : Number.NEGATIVE_INFINITY;
      m = Math.max(m, row[j]);
    }
    if (m === Number.NEGATIVE_INFINITY) {
      g.lse[li] = Number.POSITIVE_INFINITY;
      return;
    }
    let sum = 0;
    for (let j = 0; j < s.sk; j++) sum += Math.exp(row[j] - m);
    g.lse[li] = m + Math.log(sum);
    for (let j = 0; j < s.sk; j++) {
      const P = Math.exp(row[j] - g.lse[li]);
      for (let c = 0; c < s.d; c++) g.out[qo + c] += P * v[kIndex(s, b, j, kh) + c];
    }
  });
  deltas(s, dout, g);
  forEachQueryRow(s, (b, kh, i, qo, li) => {
    for (let j = 0; j < s.sk; j++) {
      if (!isVisible(i, j, s.sq, s.sk, causal)) continue;
      const ko = kIndex(s, b, j, kh);
      const P = Math.exp(score(s, x, qo, ko, scale) - g.lse[li]);
      accumulate(s, x, g, [qo, ko, li], P, scale);
    }
  });
  return g;
}

/** Every query row (b, hh, i) in order, with its kv head kh (GQA), its q offset qo and its lse index li. */
function forEachQueryRow(
  s: AttnShape,
  visit: (b: number, kh: number, i: number, qo: number, li: number) => void,
): void {
  const group = s.h / s.hk;
  for (let b = 0; b < s.b; b++)
    for (let hh = 0; hh < s.h; hh++) {
      const kh = Math.floor(hh / group);
      for (let i = 0; i < s.sq; i++) visit(b, kh, i, qIndex(s, b, i, hh), (b * s.h + hh) * s.sq + i);
    }
}

/** The first query tile a causal key tile starting at j0 must visit: floor(max(0, j0 + sq − sk) / Br). */
export function firstQueryTile(j0: number, sq: number, sk: number, Br: number, causal: boolean): number {
  return causal ? Math.floor(Math.max(0, j0 + sq - sk) / Br) : 0;
}

/**
 * attention_backward_tiled: the FA2 forward gives out and lse; delta = rowsum(dout ∘ out); then key tiles
 * (outer) × query tiles (inner, from firstQueryTile), each recomputing its P tile from Q, K and lse.
 */
export function attentionBackwardTiled(
  q: Arr,
  k: Arr,
  v: Arr,
  dout: Arr,
  s: AttnShape,
  Br: number,
  Bc: number,
  causal: boolean,
  scale = resolveScale(s.d),
): AttnGrads {
  const fwd = flashAttentionTiled(q, k, v, s, Br, Bc, causal, scale);
  if (dout.length !== q.length)
    throw new Error(`attention_backward_tiled: dout has ${dout.length} values, want ${q.length}`);
  const x = { q, k, v, dout };
  const g = zeros(s, fwd.lse, fwd.out);
  deltas(s, dout, g);
  const group = s.h / s.hk;
  for (let b = 0; b < s.b; b++)
    for (let hh = 0; hh < s.h; hh++) {
      const kh = Math.floor(hh / group);
      for (let j0 = 0; j0 < s.sk; j0 += Bc)
        for (let i0 = firstQueryTile(j0, s.sq, s.sk, Br, causal) * Br; i0 < s.sq; i0 += Br)
          for (let i = i0; i < Math.min(s.sq, i0 + Br); i++)
            for (let j = j0; j < Math.min(s.sk, j0 + Bc); j++) {
              if (!isVisible(i, j, s.sq, s.sk, causal)) continue;
              const qo = qIndex(s, b, i, hh);
              const ko = kIndex(s, b, j, kh);
              const li = (b * s.h + hh) * s.sq + i;
              accumulate(s, x, g, [qo, ko, li], Math.exp(score(s, x, qo, ko, scale) - g.lse[li]), scale);
            }
    }
  return g;
}
