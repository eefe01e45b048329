// Stress cases for softmax attention and FlashAttention tiles against plain softmax attention: 130 queries,
// GQA, bottom-right causal masks with fully masked rows (lse = +inf), odd tiles, large logits.

import { Rng, type StressCase, real, vals, mk } from './common';

/** One attention stress case: the shape, the mask, the tiles and the seed (also the backward's, stress/attentionBackward.ts). */
export interface AttnSpec {
  b: number;
  sq: number;
  sk: number;
  h: number;
  hk: number;
  d: number;
  causal: boolean;
  Br: number;
  Bc: number;
  seed: number;
  /** Scales q: 12 gives logits of a few hundred. */
  qScale?: number;
}

export function attentionCases(): StressCase[] {
  const out: StressCase[] = [];
  const specs: AttnSpec[] = [
    { b: 1, sq: 130, sk: 130, h: 4, hk: 1, d: 16, causal: true, Br: 16, Bc: 32, seed: 1700 },
    { b: 1, sq: 130, sk: 57, h: 2, hk: 2, d: 8, causal: true, Br: 8, Bc: 8, seed: 1701 },
    { b: 2, sq: 33, sk: 129, h: 3, hk: 3, d: 12, causal: false, Br: 5, Bc: 7, seed: 1702 },
    { b: 1, sq: 130, sk: 130, h: 4, hk: 2, d: 64, causal: true, Br: 64, Bc: 64, seed: 1703 },
    { b: 1, sq: 1, sk: 1000, h: 2, hk: 1, d: 128, causal: true, Br: 64, Bc: 64, seed: 1704 },
    { b: 1, sq: 130, sk: 3, h: 1, hk: 1, d: 33, causal: true, Br: 128, Bc: 16, seed: 1705 },
    { b: 1, sq: 1000, sk: 1000, h: 1, hk: 1, d: 32, causal: true, Br: 128, Bc: 128, seed: 1706 },
    { b: 1, sq: 67, sk: 67, h: 2, hk: 1, d: 16, causal: false, Br: 16, Bc: 16, seed: 1707, qScale: 12 },
    { b: 1, sq: 130, sk: 200, h: 2, hk: 1, d: 128, causal: false, Br: 64, Bc: 64, seed: 1708 },
    { b: 2, sq: 20, sk: 33, h: 2, hk: 2, d: 256, causal: true, Br: 16, Bc: 16, seed: 1709 },
  ];
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { b, sq, sk, h, hk, d } = s;
    const q = vals(r, b * sq * h * d, s.qScale ?? 1); // qScale 12: logits of a few hundred (exp overflows f32 unless shifted)
    const k = vals(r, b * sk * hk * d);
    const v = vals(r, b * sk * hk * d);
    const scale = 1 / Math.sqrt(d);
    const o = new Float64Array(b * sq * h * d);
    const lse = new Float64Array(b * h * sq);
    for (let bb = 0; bb < b; bb++)
      for (let hh = 0; hh < h; hh++) {
        const kh = Math.floor(hh / (h / hk));
        for (let i = 0; i < sq; i++) {
          const sc: number[] = [];
          for (let j = 0; j < sk; j++) {
            if (s.causal && j > i + sk - sq) continue;
            let dot = 0;
            for (let e = 0; e < d; e++)
              dot += q[((bb * sq + i) * h + hh) * d + e] * k[((bb * sk + j) * hk + kh) * d + e];
            sc.push(dot * scale, j);
          }
          if (sc.length === 0) {
            lse[(bb * h + hh) * sq + i] = Infinity;
            continue;
          }
          let m = -Infinity;
          for (let t = 0; t < sc.length; t += 2) m = Math.max(m, sc[t]);
          let sum = 0;
          for (let t = 0; t < sc.length; t += 2) sum += Math.exp(sc[t] - m);
          lse[(bb * h + hh) * sq + i] = m + Math.log(sum);
          for (let t = 0; t < sc.length; t += 2) {
            const w = Math.exp(sc[t] - m) / sum;
            const j = sc[t + 1];
            for (let e = 0; e < d; e++)
              o[((bb * sq + i) * h + hh) * d + e] += w * v[((bb * sk + j) * hk + kh) * d + e];
          }
        }
      }
    const tag = `b${b}_sq${sq}_sk${sk}_h${h}_${hk}_d${d}_${s.causal ? 'causal' : 'full'}${s.qScale ? '_big_logits' : ''}`;
    const inputs = { q: real([b, sq, h, d], q), k: real([b, sk, hk, d], k), v: real([b, sk, hk, d], v) };
    const outputs = { out: real([b, sq, h, d], o), lse: real([b, h, sq], lse) };
    out.push(
      mk(
        'softmax_attention',
        `softmax_attention_${tag}`,
        s.seed,
        'plain softmax attention',
        { causal: s.causal, softmax_scale: scale },
        inputs,
        outputs,
      ),
    );
    out.push(
      mk(
        'flash_attention_tiled',
        `flash_attention_tiled_${tag}_Br${s.Br}_Bc${s.Bc}`,
        s.seed,
        'plain softmax attention',
        { causal: s.causal, Br: s.Br, Bc: s.Bc, softmax_scale: scale },
        inputs,
        outputs,
      ),
    );
  }
  return out;
}
