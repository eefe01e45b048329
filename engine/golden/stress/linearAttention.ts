// Stress cases for the linear-attention family against the recurrence S_t = decay ⊙ S_{t-1} + k_t v_tᵀ:
// T up to 1000, ragged chunks, default chunk, normalize, strong decay, retention, GLA.

import { Rng, type Arr, type RawArray, type StressCase, real, f, vals, unif, mk } from './common';

export interface LaDims {
  B: number;
  T: number;
  H: number;
  K: number;
  V: number;
}
/** S_t = decay_t ⊙ S_{t-1} + k_t v_tᵀ, o_t = (s q_t)ᵀ S_t; decay(b,t,h,i) multiplies row i of S. */
export function laRecurrence(
  q: Arr,
  k: Arr,
  v: Arr,
  dims: LaDims,
  scale: number,
  decay: (b: number, t: number, h: number, i: number) => number,
  s0?: Arr,
) {
  const { B, T, H, K, V } = dims;
  const o = new Float64Array(B * T * H * V);
  const fin = new Float64Array(B * H * K * V);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const S = new Float64Array(K * V);
      if (s0) for (let i = 0; i < K * V; i++) S[i] = s0[(b * H + h) * K * V + i];
      for (let t = 0; t < T; t++) {
        const ko = ((b * T + t) * H + h) * K;
        const vo = ((b * T + t) * H + h) * V;
        for (let i = 0; i < K; i++) {
          const dcy = decay(b, t, h, i);
          for (let j = 0; j < V; j++) S[i * V + j] = dcy * S[i * V + j] + k[ko + i] * v[vo + j];
        }
        for (let j = 0; j < V; j++) {
          let acc = 0;
          for (let i = 0; i < K; i++) acc += scale * q[ko + i] * S[i * V + j];
          o[vo + j] = acc;
        }
      }
      fin.set(S, (b * H + h) * K * V);
    }
  return { o, fin };
}

type Form = [string, string, Record<string, unknown>];

export function linearAttentionCases(): StressCase[] {
  const out: StressCase[] = [];
  const specs = [
    { d: { B: 1, T: 1000, H: 2, K: 8, V: 5 }, C: 64, scale: 1 / Math.sqrt(8), init: false, seed: 1800 },
    { d: { B: 2, T: 77, H: 3, K: 4, V: 3 }, C: 16, scale: 1, init: true, seed: 1801 },
    { d: { B: 1, T: 1000, H: 2, K: 64, V: 64 }, C: 64, scale: 1 / 8, init: true, seed: 1802 },
    { d: { B: 1, T: 300, H: 2, K: 5, V: 4 }, C: 64, scale: 1, init: true, seed: 1803, strong: true },
  ] as Array<{ d: LaDims; C: number; scale: number; init: boolean; seed: number; strong?: boolean }>;
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { B, T, H, K, V } = s.d;
    const q = vals(r, B * T * H * K, 0.5);
    const k = vals(r, B * T * H * K, 0.5);
    const v = vals(r, B * T * H * V);
    // strong: per-step decays of e^-1.6 .. e^-4.6, so one 64-step chunk spans e^-200.
    const [lo, lo2] = s.strong ? [0.01, 0.01] : [0.5, 0.6];
    const hi = s.strong ? 0.2 : 1;
    const g = Float64Array.from(unif(r, B * T * H, lo, hi), (x) => f(Math.log(x)));
    const gk = Float64Array.from(unif(r, B * T * H * K, lo2, hi), (x) => f(Math.log(x)));
    const s0 = vals(r, B * H * K * V);
    const init = s.init ? s0 : undefined;
    const base: Record<string, RawArray> = {
      q: real([B, T, H, K], q),
      k: real([B, T, H, K], k),
      v: real([B, T, H, V], v),
    };
    const withInit = (extra: Record<string, RawArray>) =>
      s.init ? { ...base, ...extra, initial_state: real([B, H, K, V], s0) } : { ...base, ...extra };
    const tag = `B${B}_T${T}_H${H}_K${K}_V${V}${s.strong ? '_strong_decay' : ''}`;
    const la = laRecurrence(q, k, v, s.d, s.scale, () => 1, init);
    const gd = (b: number, t: number, h: number) => Math.exp(g[(b * T + t) * H + h]);
    const sg = laRecurrence(q, k, v, s.d, s.scale, gd, init);
    const gkd = (b: number, t: number, h: number, i: number) => Math.exp(gk[((b * T + t) * H + h) * K + i]);
    const gl = laRecurrence(q, k, v, s.d, 1 / Math.sqrt(K), gkd, init);
    // Per reference: its decay input, its recurrence, and its forms as [form, name suffix, params].
    const both: Form[] = [
      ['recurrent', '', { scale: s.scale }],
      ['chunked', `_C${s.C}`, { scale: s.scale, chunk_size: s.C }],
    ];
    const refs: [string, Record<string, RawArray>, { o: Float64Array; fin: Float64Array }, Form[]][] = [
      ['linear_attention', {}, la, both],
      ['simple_gla', { g: real([B, T, H], g) }, sg, both],
      ['gla', { gk: real([B, T, H, K], gk) }, gl, [['recurrent', '', {}]]],
    ];
    for (const [fn, decay, rec, forms] of refs) {
      const o = { o: real([B, T, H, V], rec.o), final_state: real([B, H, K, V], rec.fin) };
      for (const [form, suffix, params] of forms)
        out.push(
          mk(
            `${fn}_${form}`,
            `${fn}_${form}_${tag}${suffix}`,
            s.seed,
            'recurrence',
            params,
            withInit(decay),
            o,
          ),
        );
    }
  }
  {
    // normalize=True (positive q, k as after a feature map) and a chunked form with the default chunk.
    const r = new Rng(1805);
    const d = { B: 1, T: 200, H: 2, K: 6, V: 5 };
    const { B, T, H, K, V } = d;
    const q = unif(r, B * T * H * K, 0.1, 1);
    const k = unif(r, B * T * H * K, 0.1, 1);
    const v = vals(r, B * T * H * V);
    const g = Float64Array.from(unif(r, B * T * H, 0.9, 1), (x) => f(Math.log(x)));
    const scale = 1 / Math.sqrt(K);
    const la = laRecurrence(q, k, v, d, scale, () => 1);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const ks = new Float64Array(K);
        for (let t = 0; t < T; t++) {
          const ko = ((b * T + t) * H + h) * K;
          let den = 0;
          for (let i = 0; i < K; i++) {
            ks[i] += k[ko + i];
            den += scale * q[ko + i] * ks[i];
          }
          for (let j = 0; j < V; j++) la.o[((b * T + t) * H + h) * V + j] /= den + 1e-10;
        }
      }
    const inputs = { q: real([B, T, H, K], q), k: real([B, T, H, K], k), v: real([B, T, H, V], v) };
    const outputs = { o: real([B, T, H, V], la.o), final_state: real([B, H, K, V], la.fin) };
    out.push(
      mk(
        'linear_attention_recurrent',
        'linear_attention_recurrent_normalize_T200',
        1805,
        'normalized',
        { scale, normalize: true },
        inputs,
        outputs,
      ),
    );
    out.push(
      mk(
        'linear_attention_chunked',
        'linear_attention_chunked_normalize_T200_C48',
        1805,
        'normalized',
        { scale, chunk_size: 48, normalize: true },
        inputs,
        outputs,
      ),
    );
    const sg = laRecurrence(q, k, v, d, scale, (b, t, h) => Math.exp(g[(b * T + t) * H + h]));
    out.push(
      mk(
        'simple_gla_chunked',
        'simple_gla_chunked_default_chunk_T200',
        1805,
        'recurrence',
        { scale },
        { ...inputs, g: real([B, T, H], g) },
        {
          o: real([B, T, H, V], sg.o),
          final_state: real([B, H, K, V], sg.fin),
        },
      ),
    );
  }
  for (const [seed, T0, gLo, gHi] of [
    [1810, 130, 0.7, 1],
    [1811, 100, 0.01, 0.2],
  ]) {
    // simple_gla_parallel: o from the recurrence (no initial state), attn from its definition.
    const r = new Rng(seed);
    const d = { B: 1, T: T0, H: 3, K: 5, V: 4 };
    const { B, T, H, K, V } = d;
    const q = vals(r, B * T * H * K, 0.5);
    const k = vals(r, B * T * H * K, 0.5);
    const v = vals(r, B * T * H * V);
    const g = Float64Array.from(unif(r, B * T * H, gLo, gHi), (x) => f(Math.log(x)));
    const scale = 1 / Math.sqrt(K);
    const { o } = laRecurrence(q, k, v, d, scale, (b, t, h) => Math.exp(g[(b * T + t) * H + h]));
    const attn = new Float64Array(B * H * T * T);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < T; t++)
          for (let s2 = 0; s2 <= t; s2++) {
            let dot = 0;
            for (let i = 0; i < K; i++)
              dot += q[((b * T + t) * H + h) * K + i] * k[((b * T + s2) * H + h) * K + i];
            let gs = 0;
            for (let m = s2 + 1; m <= t; m++) gs += g[(b * T + m) * H + h];
            attn[((b * H + h) * T + t) * T + s2] = scale * dot * Math.exp(gs);
          }
    out.push(
      mk(
        'simple_gla_parallel',
        `simple_gla_parallel_B1_T${T}_H3_K5_V4${gHi < 1 ? '_strong_decay' : ''}`,
        seed,
        'parallel form',
        { scale },
        {
          q: real([B, T, H, K], q),
          k: real([B, T, H, K], k),
          v: real([B, T, H, V], v),
          g: real([B, T, H], g),
        },
        { o: real([B, T, H, V], o), attn: real([B, H, T, T], attn) },
      ),
    );
  }
  {
    // retention_parallel, layout (b, h, t, d): the recurrence with decay γ_h, scale d^-1/2.
    const r = new Rng(1820);
    const [b, H, T, K, V] = [1, 5, 300, 6, 3];
    const q = vals(r, b * H * T * K, 0.5);
    const k = vals(r, b * H * T * K, 0.5);
    const v = vals(r, b * H * T * V);
    const o = new Float64Array(b * H * T * V);
    for (let bb = 0; bb < b; bb++)
      for (let h = 0; h < H; h++) {
        const gamma = 1 - 2 ** (-5 - h);
        const S = new Float64Array(K * V);
        for (let t = 0; t < T; t++) {
          const ko = ((bb * H + h) * T + t) * K;
          const vo = ((bb * H + h) * T + t) * V;
          for (let i = 0; i < K; i++)
            for (let j = 0; j < V; j++) S[i * V + j] = gamma * S[i * V + j] + k[ko + i] * v[vo + j];
          for (let j = 0; j < V; j++) {
            let acc = 0;
            for (let i = 0; i < K; i++) acc += (q[ko + i] / Math.sqrt(K)) * S[i * V + j];
            o[vo + j] = acc;
          }
        }
      }
    out.push(
      mk(
        'retention_parallel',
        'retention_parallel_b1_h5_t300_d6',
        1820,
        'RetNet',
        {},
        {
          q: real([b, H, T, K], q),
          k: real([b, H, T, K], k),
          v: real([b, H, T, V], v),
        },
        { o: real([b, H, T, V], o) },
      ),
    );
  }
  return out;
}
