// CPU reference (float64) for split-KV attention, the FlashDecoding scheme: each split of the keys gives
// a partial (m, l, unnormalised O); a log-sum-exp merge of the partials equals full softmax attention.

import { type AttnShape, checkShape, kIndex, maskedScores, qIndex, resolveScale } from './attention';

export interface SplitAttnOut {
  out: Float64Array; // (b, sq, h, d)
  lse: Float64Array; // (b, h, sq)
  /** Partial running max per split, −inf where a split sees no key. */
  m: Float64Array; // (b, h, sq, splits)
  l: Float64Array; // (b, h, sq, splits)
  oPart: Float64Array; // (b, h, sq, splits, d) unnormalised
}

/** Keys per split: ceil(sk / splits); split s covers [s·len, min(sk, (s+1)·len)). */
export const splitLength = (sk: number, splits: number) => Math.ceil(sk / splits);

export function splitAttention(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  s: AttnShape,
  causal: boolean,
  splits: number,
  scale = resolveScale(s.d),
): SplitAttnOut {
  checkShape(s, { q: q.length, k: k.length, v: v.length });
  if (!Number.isInteger(splits) || splits < 1) throw new Error(`splitAttention: splits=${splits}`);
  const rows = s.b * s.h * s.sq;
  const m = new Float64Array(rows * splits).fill(Number.NEGATIVE_INFINITY);
  const l = new Float64Array(rows * splits);
  const oPart = new Float64Array(rows * splits * s.d);
  const out = new Float64Array(s.b * s.sq * s.h * s.d);
  const lse = new Float64Array(rows);
  const len = splitLength(s.sk, splits);
  const group = s.h / s.hk;
  const sc = new Float64Array(len);
  for (let b = 0; b < s.b; b++) {
    for (let hh = 0; hh < s.h; hh++) {
      const kh = Math.floor(hh / group);
      for (let i = 0; i < s.sq; i++) {
        const row = (b * s.h + hh) * s.sq + i;
        const qo = qIndex(s, b, i, hh);
        for (let sp = 0; sp < splits; sp++) {
          const part = row * splits + sp;
          const start = Math.min(s.sk, sp * len);
          const end = Math.min(s.sk, start + len);
          m[part] = maskedScores({ q, k }, s, { b, i, hh, kh }, [start, end], { causal, scale }, sc);
          if (m[part] === Number.NEGATIVE_INFINITY) continue;
          for (let j = start; j < end; j++) {
            const e = Math.exp(sc[j - start] - m[part]);
            l[part] += e;
            for (let c = 0; c < s.d; c++) oPart[part * s.d + c] += e * v[kIndex(s, b, j, kh) + c];
          }
        }
        let M = Number.NEGATIVE_INFINITY;
        for (let sp = 0; sp < splits; sp++) M = Math.max(M, m[row * splits + sp]);
        if (M === Number.NEGATIVE_INFINITY) {
          lse[row] = Number.POSITIVE_INFINITY;
          continue;
        }
        let L = 0;
        for (let sp = 0; sp < splits; sp++) L += l[row * splits + sp] * Math.exp(m[row * splits + sp] - M);
        for (let sp = 0; sp < splits; sp++) {
          const w = Math.exp(m[row * splits + sp] - M) / L;
          if (w === 0) continue;
          for (let c = 0; c < s.d; c++) out[qo + c] += w * oPart[(row * splits + sp) * s.d + c];
        }
        lse[row] = M + Math.log(L);
      }
    }
  }
  return { out, lse, m, l, oPart };
}
