// Stress cases for the gradients of softmax attention (loss sum(dout ∘ out)), plain and FlashAttention-2
// tiled: fully masked rows (causal with sq > sk: lse = +inf, zero gradients), GQA and MQA summed over a
// group, Br/Bc that do not divide the lengths (and tiles larger than them), one query over 300 keys, large
// logits. Expected values go through each row's explicit softmax Jacobian J = diag(P) − P Pᵀ (dS = J dP),
// not through delta; the tiled cases share them (the outputs are equal by definition) with their own tiles.

import type { AttnSpec } from './attention';
import { Rng, type StressCase, vals } from './common';
import { type Params, type Tensors, caseOf, tensor } from './tensors';

export function attentionBackwardExpected(t: Tensors, p: Params): Tensors {
  const [b, sq, h, d] = t.q.shape;
  const [, sk, hk] = t.k.shape;
  const causal = p.causal === true;
  const scale = 1 / Math.sqrt(d);
  const [q, k, v, dout] = [t.q.data, t.k.data, t.v.data, t.dout.data];
  const out = new Float64Array(q.length);
  const dq = new Float64Array(q.length);
  const dk = new Float64Array(k.length);
  const dv = new Float64Array(v.length);
  const lse = new Float64Array(b * h * sq);
  const delta = new Float64Array(b * h * sq);
  const qAt = (bb: number, i: number, hh: number) => ((bb * sq + i) * h + hh) * d;
  const kAt = (bb: number, j: number, kh: number) => ((bb * sk + j) * hk + kh) * d;
  for (let bb = 0; bb < b; bb++)
    for (let hh = 0; hh < h; hh++) {
      const kh = Math.floor((hh * hk) / h);
      for (let i = 0; i < sq; i++) {
        const row = (bb * h + hh) * sq + i;
        const qi = qAt(bb, i, hh);
        // bottom-right aligned: key j is visible to query i iff j <= i + sk - sq
        const keys: number[] = [];
        for (let j = 0; j < sk; j++) if (!causal || j - i <= sk - sq) keys.push(j);
        if (keys.length === 0) {
          lse[row] = Infinity; // out, delta and dq stay 0
          continue;
        }
        const s = keys.map((j) => {
          let a = 0;
          for (let e = 0; e < d; e++) a += q[qi + e] * k[kAt(bb, j, kh) + e];
          return a * scale;
        });
        const m = Math.max(...s);
        const ex = s.map((x) => Math.exp(x - m));
        const z = ex.reduce((a, x) => a + x, 0);
        const P = ex.map((x) => x / z);
        lse[row] = m + Math.log(z);
        keys.forEach((j, n) => {
          for (let e = 0; e < d; e++) out[qi + e] += P[n] * v[kAt(bb, j, kh) + e];
        });
        let dl = 0;
        for (let e = 0; e < d; e++) dl += dout[qi + e] * out[qi + e];
        delta[row] = dl;
        const dP = keys.map((j) => {
          let a = 0;
          for (let e = 0; e < d; e++) a += dout[qi + e] * v[kAt(bb, j, kh) + e];
          return a;
        });
        // dS = J dP with the Jacobian of softmax, J[n][l] = P_n (δ_nl − P_l)
        const dS = P.map((pn, n) => {
          let a = 0;
          for (let l = 0; l < P.length; l++) a += ((n === l ? pn : 0) - pn * P[l]) * dP[l];
          return a;
        });
        keys.forEach((j, n) => {
          const kj = kAt(bb, j, kh);
          for (let e = 0; e < d; e++) {
            dq[qi + e] += scale * dS[n] * k[kj + e];
            dk[kj + e] += scale * dS[n] * q[qi + e];
            dv[kj + e] += P[n] * dout[qi + e];
          }
        });
      }
    }
  return {
    dq: tensor([b, sq, h, d], dq),
    dk: tensor([b, sk, hk, d], dk),
    dv: tensor([b, sk, hk, d], dv),
    out: tensor([b, sq, h, d], out),
    lse: tensor([b, h, sq], lse),
    delta: tensor([b, h, sq], delta),
  };
}

const specs: AttnSpec[] = [
  { b: 1, sq: 130, sk: 57, h: 4, hk: 2, d: 8, causal: true, Br: 16, Bc: 7, seed: 7200 },
  { b: 2, sq: 33, sk: 129, h: 3, hk: 1, d: 12, causal: false, Br: 5, Bc: 7, seed: 7201 },
  { b: 1, sq: 200, sk: 200, h: 2, hk: 1, d: 16, causal: true, Br: 64, Bc: 48, seed: 7202 },
  { b: 1, sq: 1, sk: 300, h: 2, hk: 2, d: 32, causal: true, Br: 1, Bc: 64, seed: 7203 },
  { b: 1, sq: 70, sk: 3, h: 1, hk: 1, d: 33, causal: true, Br: 128, Bc: 16, seed: 7204 },
  { b: 1, sq: 67, sk: 67, h: 2, hk: 1, d: 16, causal: false, Br: 16, Bc: 16, seed: 7205, qScale: 12 },
  { b: 1, sq: 5, sk: 9, h: 6, hk: 3, d: 7, causal: true, Br: 3, Bc: 2, seed: 7206 },
  { b: 1, sq: 48, sk: 31, h: 8, hk: 1, d: 64, causal: true, Br: 32, Bc: 32, seed: 7207 },
];

export function attentionBackwardCases(): StressCase[] {
  const out: StressCase[] = [];
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { b, sq, sk, h, hk, d } = s;
    const t: Tensors = {
      q: tensor([b, sq, h, d], vals(r, b * sq * h * d, s.qScale ?? 1)),
      k: tensor([b, sk, hk, d], vals(r, b * sk * hk * d)),
      v: tensor([b, sk, hk, d], vals(r, b * sk * hk * d)),
      dout: tensor([b, sq, h, d], vals(r, b * sq * h * d)),
    };
    const masked = s.causal && sq > sk ? '_masked_rows' : '';
    const tag = `b${b}_sq${sq}_sk${sk}_h${h}_${hk}_d${d}_${s.causal ? 'causal' : 'full'}${masked}${s.qScale ? '_big_logits' : ''}`;
    const softmax_scale = 1 / Math.sqrt(d);
    const expected = attentionBackwardExpected(t, { causal: s.causal });
    const sem =
      'gradients of softmax attention for the loss sum(dout * out), bottom-right causal, GQA summed';
    out.push(
      caseOf(
        'attention_backward',
        `attention_backward_${tag}`,
        s.seed,
        sem,
        { causal: s.causal, softmax_scale },
        t,
        () => expected,
      ),
      caseOf(
        'attention_backward_tiled',
        `attention_backward_tiled_${tag}_Br${s.Br}_Bc${s.Bc}`,
        s.seed,
        `FlashAttention-2 backward over Br x Bc tiles; ${sem}`,
        { causal: s.causal, Br: s.Br, Bc: s.Bc, softmax_scale },
        t,
        () => expected,
      ),
    );
  }
  return out;
}
