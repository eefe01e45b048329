// CPU references (float64) for softmax attention and its FlashAttention-2 tiled form, with GQA and
// bottom-right causal masking. Layouts: q (b,sq,h,d), k and v (b,sk,h_k,d), out (b,sq,h,d), lse (b,h,sq).
// Leaves out dropout, local windows, ALiBi and the backward pass.

export interface AttnShape {
  b: number;
  sq: number;
  sk: number;
  /** Query heads. */
  h: number;
  /** Key/value heads; h % hk == 0 (GQA: kv head = q head // (h/hk)). */
  hk: number;
  d: number;
}

/** The softmax scale: 1/sqrt(d) unless `given` is clearly a different number (params carry it rounded). */
export function resolveScale(d: number, given?: number | null): number {
  const std = 1 / Math.sqrt(d);
  if (given === undefined || given === null || !Number.isFinite(given)) return std;
  return Math.abs(given - std) <= 1e-6 * std ? std : given;
}

/** Bottom-right causal alignment: key j is visible to query i iff j <= i + sk - sq. */
export function isVisible(i: number, j: number, sq: number, sk: number, causal: boolean): boolean {
  return !causal || j <= i + sk - sq;
}

export function checkShape(s: AttnShape, lens: { q: number; k: number; v: number }): void {
  const dims = [s.b, s.sq, s.sk, s.h, s.hk, s.d];
  if (dims.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new Error(`attention: sizes must be positive integers, got ${JSON.stringify(s)}`);
  }
  if (s.h % s.hk !== 0) throw new Error(`attention: h=${s.h} is not a multiple of h_k=${s.hk}`);
  if (lens.q !== s.b * s.sq * s.h * s.d) throw new Error(`attention: q has ${lens.q} values, want b·sq·h·d`);
  if (lens.k !== s.b * s.sk * s.hk * s.d)
    throw new Error(`attention: k has ${lens.k} values, want b·sk·h_k·d`);
  if (lens.v !== s.b * s.sk * s.hk * s.d)
    throw new Error(`attention: v has ${lens.v} values, want b·sk·h_k·d`);
}

export const qIndex = (s: AttnShape, b: number, i: number, hh: number) => ((b * s.sq + i) * s.h + hh) * s.d;
export const kIndex = (s: AttnShape, b: number, j: number, kh: number) => ((b * s.sk + j) * s.hk + kh) * s.d;

/**
 * The scores of query row i against keys j0 … j1 − 1 (of head kh) into out[0 …]: scale·q_i·k_j, −inf where
 * the mask hides key j. Returns their max (−inf when every one is hidden).
 */
export function maskedScores(
  x: { q: ArrayLike<number>; k: ArrayLike<number> },
  s: AttnShape,
  at: { b: number; i: number; hh: number; kh: number },
  [j0, j1]: [number, number],
  mask: { causal: boolean; scale: number },
  out: Float64Array,
): number {
  const { b, i, kh } = at;
  const qo = qIndex(s, b, i, at.hh);
  let m = Number.NEGATIVE_INFINITY;
  for (let j = j0; j < j1; j++) {
    if (!isVisible(i, j, s.sq, s.sk, mask.causal)) {
      out[j - j0] = Number.NEGATIVE_INFINITY;
      continue;
    }
    const ko = kIndex(s, b, j, kh);
    let dot = 0;
    for (let c = 0; c < s.d; c++) dot += x.q[qo + c] * x.k[ko + c];
    out[j - j0] = mask.scale * dot;
    if (out[j - j0] > m) m = out[j - j0];
  }
  return m;
}

export type AttnOut = {
  out: Float64Array; // (b, sq, h, d)
  lse: Float64Array; // (b, h, sq)
};

/**
 * One query row of softmax attention: out[0 … d) = softmax(scale·q_i Kᵀ + mask) V for query i of head hh
 * (accumulated into out, which starts at 0), and its lse; a fully masked row leaves out at 0, lse = +inf.
 * `row` is scratch of at least sk values.
 */
export function attentionRow(
  x: { q: ArrayLike<number>; k: ArrayLike<number>; v: ArrayLike<number> },
  s: AttnShape,
  at: { b: number; i: number; hh: number },
  mask: { causal: boolean; scale: number },
  out: { values: Float64Array; at: number },
  row: Float64Array,
): number {
  const kh = Math.floor(at.hh / (s.h / s.hk));
  const m = maskedScores(x, s, { ...at, kh }, [0, s.sk], mask, row);
  if (m === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
  let l = 0;
  for (let j = 0; j < s.sk; j++) {
    row[j] = row[j] === Number.NEGATIVE_INFINITY ? 0 : Math.exp(row[j] - m);
    l += row[j];
  }
  for (let j = 0; j < s.sk; j++) {
    if (row[j] === 0) continue;
    const vo = kIndex(s, at.b, j, kh);
    for (let c = 0; c < s.d; c++) out.values[out.at + c] += (row[j] / l) * x.v[vo + c];
  }
  return m + Math.log(l);
}

/** O = softmax(scale·QKᵀ + mask)V; a fully masked row gives O = 0 and lse = +inf. */
export function softmaxAttention(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  s: AttnShape,
  causal: boolean,
  scale = resolveScale(s.d),
): AttnOut {
  checkShape(s, { q: q.length, k: k.length, v: v.length });
  const out = new Float64Array(s.b * s.sq * s.h * s.d);
  const lse = new Float64Array(s.b * s.h * s.sq);
  const row = new Float64Array(s.sk);
  for (let b = 0; b < s.b; b++)
    for (let hh = 0; hh < s.h; hh++)
      for (let i = 0; i < s.sq; i++) {
        const at = { values: out, at: qIndex(s, b, i, hh) };
        lse[(b * s.h + hh) * s.sq + i] = attentionRow(
          { q, k, v },
          s,
          { b, i, hh },
          { causal, scale },
          at,
          row,
        );
      }
  return { out, lse };
}

/** Number of K/V tiles a causal Q tile [r0, r1] must visit; the rest lie entirely above the diagonal. */
export function visibleKvTiles(r1: number, sq: number, sk: number, Bc: number, causal: boolean): number {
  const Tc = Math.ceil(sk / Bc);
  if (!causal) return Tc;
  const lastKey = r1 + sk - sq;
  return lastKey < 0 ? 0 : Math.min(Tc, Math.floor(lastKey / Bc) + 1);
}

/**
 * FlashAttention-2 forward (Alg. 1) over Br×Bc tiles: running max m and sum l per row, rescaled by
 * exp(m_old − m_new); O divided by l once at the end. Row max −inf counts as 0; l = 0 gives O = 0, lse = +inf.
 */
export function flashAttentionTiled(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  s: AttnShape,
  Br: number,
  Bc: number,
  causal: boolean,
  scale = resolveScale(s.d),
): AttnOut {
  checkShape(s, { q: q.length, k: k.length, v: v.length });
  if (!Number.isInteger(Br) || !Number.isInteger(Bc) || Br < 1 || Bc < 1) {
    throw new Error(`flash_attention_tiled: Br and Bc must be positive integers, got ${Br}, ${Bc}`);
  }
  const out = new Float64Array(s.b * s.sq * s.h * s.d);
  const lse = new Float64Array(s.b * s.h * s.sq);
  const group = s.h / s.hk;
  const acc = new Float64Array(Br * s.d);
  const m = new Float64Array(Br);
  const l = new Float64Array(Br);
  const p = new Float64Array(Bc);
  for (let b = 0; b < s.b; b++) {
    for (let hh = 0; hh < s.h; hh++) {
      const kh = Math.floor(hh / group);
      for (let r0 = 0; r0 < s.sq; r0 += Br) {
        const rows = Math.min(Br, s.sq - r0);
        acc.fill(0);
        m.fill(Number.NEGATIVE_INFINITY);
        l.fill(0);
        const tiles = visibleKvTiles(r0 + rows - 1, s.sq, s.sk, Bc, causal);
        for (let t = 0; t < tiles; t++) {
          const c0 = t * Bc;
          const cols = Math.min(Bc, s.sk - c0);
          for (let r = 0; r < rows; r++) {
            const i = r0 + r;
            const mt = maskedScores({ q, k }, s, { b, i, hh, kh }, [c0, c0 + cols], { causal, scale }, p);
            const mNew = Math.max(m[r], mt);
            const mUse = mNew === Number.NEGATIVE_INFINITY ? 0 : mNew;
            const alpha = Math.exp(m[r] - mUse);
            let rowSum = 0;
            for (let jj = 0; jj < cols; jj++) {
              p[jj] = Math.exp(p[jj] - mUse);
              rowSum += p[jj];
            }
            m[r] = mNew;
            l[r] = alpha * l[r] + rowSum;
            for (let c = 0; c < s.d; c++) {
              let pv = 0;
              for (let jj = 0; jj < cols; jj++) pv += p[jj] * v[kIndex(s, b, c0 + jj, kh) + c];
              acc[r * s.d + c] = alpha * acc[r * s.d + c] + pv;
            }
          }
        }
        for (let r = 0; r < rows; r++) {
          const i = r0 + r;
          const qo = qIndex(s, b, i, hh);
          const li = (b * s.h + hh) * s.sq + i;
          if (l[r] === 0) {
            lse[li] = Number.POSITIVE_INFINITY;
            continue;
          }
          for (let c = 0; c < s.d; c++) out[qo + c] = acc[r * s.d + c] / l[r];
          const mUse = m[r] === Number.NEGATIVE_INFINITY ? 0 : m[r];
          lse[li] = mUse + Math.log(l[r]);
        }
      }
    }
  }
  return { out, lse };
}
