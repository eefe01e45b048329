// Stress cases for the RWKV-6 recurrence (fla naive_recurrent_rwkv6, head-first (B,H,T,K)): very strong
// decay (w down to -100, e^w underflows f32), very weak decay (w near 0, some exactly 0), per-channel mixed
// decay, scale 1 and K^-0.5, with and without an initial state, T = 1 and a 64×64 head. Expected values
// come from the unrolled form (README subtlety 14), not from the step-by-step recurrence:
// o_t = Σ_{s<t} (q_t ∘ e^{Σ_{r=s+1..t-1} w_r})·k_s v_s + (q_t·(u∘k_t)) v_t + (q_t ∘ e^{Σ_{r<t} w_r})·S₀.

import { Rng, type StressCase, f, unif, vals } from './common';
import { type Params, type Tensors, caseOf, tensor } from './tensors';

export function rwkv6Expected(t: Tensors, p: Params): Tensors {
  const [B, H, T, K] = t.q.shape;
  const V = t.v.shape[3];
  const scale = typeof p.scale === 'number' ? p.scale : 1 / Math.sqrt(K);
  const { q, k, v, w, u } = { q: t.q.data, k: t.k.data, v: t.v.data, w: t.w.data, u: t.u.data };
  const s0 = t.initial_state?.data;
  const o = new Float64Array(B * H * T * V);
  const fin = new Float64Array(B * H * K * V);
  const decay = new Float64Array(K);
  for (let bh = 0; bh < B * H; bh++) {
    const h = bh % H;
    const at = (tt: number) => (bh * T + tt) * K;
    const vt = (tt: number) => (bh * T + tt) * V;
    for (let tt = 0; tt <= T; tt++) {
      // tt = T: the final state, which sums s ≤ T-1 with the decays of steps s+1..T-1 (and every step on S₀)
      const isFinal = tt === T;
      decay.fill(0);
      const last = isFinal ? T - 1 : tt - 1;
      for (let s = last; s >= 0; s--) {
        if (isFinal) {
          for (let i = 0; i < K; i++) {
            const e = Math.exp(decay[i]) * k[at(s) + i];
            for (let j = 0; j < V; j++) fin[(bh * K + i) * V + j] += e * v[vt(s) + j];
          }
        } else {
          let a = 0;
          for (let i = 0; i < K; i++) a += q[at(tt) + i] * Math.exp(decay[i]) * k[at(s) + i];
          for (let j = 0; j < V; j++) o[vt(tt) + j] += scale * a * v[vt(s) + j];
        }
        for (let i = 0; i < K; i++) decay[i] += w[at(s) + i];
      }
      // decay now holds Σ_{r ≤ last} w_r: the factor on S₀
      if (s0)
        for (let i = 0; i < K; i++) {
          const e = Math.exp(decay[i]);
          for (let j = 0; j < V; j++) {
            const sv = s0[(bh * K + i) * V + j];
            if (isFinal) fin[(bh * K + i) * V + j] += e * sv;
            else o[vt(tt) + j] += scale * q[at(tt) + i] * e * sv;
          }
        }
      if (!isFinal) {
        let bonus = 0;
        for (let i = 0; i < K; i++) bonus += q[at(tt) + i] * u[h * K + i] * k[at(tt) + i];
        for (let j = 0; j < V; j++) o[vt(tt) + j] += scale * bonus * v[vt(tt) + j];
      }
    }
  }
  return { o: tensor([B, H, T, V], o), final_state: tensor([B, H, K, V], fin) };
}

type Decay = 'strong' | 'weak' | 'mixed' | 'logsigmoid';

interface Rwkv6Spec {
  seed: number;
  B: number;
  H: number;
  T: number;
  K: number;
  V: number;
  decay: Decay;
  scale1: boolean;
  init: boolean;
}

const specs: Rwkv6Spec[] = [
  { seed: 7100, B: 1, H: 2, T: 300, K: 8, V: 5, decay: 'strong', scale1: false, init: true },
  { seed: 7101, B: 2, H: 2, T: 500, K: 6, V: 7, decay: 'weak', scale1: true, init: true },
  { seed: 7102, B: 1, H: 3, T: 77, K: 5, V: 3, decay: 'mixed', scale1: false, init: true },
  { seed: 7103, B: 3, H: 1, T: 1, K: 16, V: 16, decay: 'logsigmoid', scale1: false, init: true },
  { seed: 7104, B: 1, H: 2, T: 150, K: 64, V: 64, decay: 'logsigmoid', scale1: false, init: false },
  { seed: 7105, B: 2, H: 1, T: 41, K: 3, V: 9, decay: 'weak', scale1: true, init: false },
  { seed: 7106, B: 1, H: 1, T: 64, K: 7, V: 2, decay: 'strong', scale1: true, init: false },
];

/** Log decays (≤ 0, float32): strong e^w in (1e-44, 1e-2); weak w in (-2.5e-3, -6e-6) or exactly 0. */
function logDecay(r: Rng, n: number, K: number, kind: Decay): Float64Array {
  const strong = () => f(-Math.exp(r.uniform(1.5, 4.6)));
  const weak = () => (r.next() < 0.2 ? 0 : f(-Math.exp(r.uniform(-12, -6))));
  return Float64Array.from({ length: n }, (_, i) => {
    if (kind === 'strong') return strong();
    if (kind === 'weak') return weak();
    if (kind === 'mixed') return i % K < K / 2 ? strong() : weak();
    const x = r.normal() * 2; // RWKV-6 style: w = log sigmoid(x) ≤ 0
    return f(-Math.log1p(Math.exp(-x)));
  });
}

export function rwkv6Case(s: Rwkv6Spec): StressCase {
  const r = new Rng(s.seed);
  const { B, H, T, K, V } = s;
  const n = B * H * T * K;
  const t: Tensors = {
    q: tensor([B, H, T, K], vals(r, n)),
    k: tensor([B, H, T, K], vals(r, n, 0.5)),
    v: tensor([B, H, T, V], vals(r, B * H * T * V)),
    w: tensor([B, H, T, K], logDecay(r, n, K, s.decay)),
    u: tensor([H, K], unif(r, H * K, -1, 1)),
  };
  if (s.init) t.initial_state = tensor([B, H, K, V], vals(r, B * H * K * V));
  const scale = s.scale1 ? 1 : 1 / Math.sqrt(K);
  const tag = `${s.decay}_decay${s.init ? '_init' : ''}${s.scale1 ? '_scale1' : ''}_B${B}_H${H}_T${T}_K${K}_V${V}`;
  return caseOf(
    'rwkv6_recurrent',
    `rwkv6_recurrent_${tag}`,
    s.seed,
    'RWKV-6 (head-first): o_t = (scale q_t)^T (S + diag(u) k_t v_t^T), then S = diag(e^{w_t}) S + k_t v_t^T',
    { scale, output_final_state: true, w: s.decay },
    t,
    rwkv6Expected,
  );
}

export function rwkv6Cases(): StressCase[] {
  return specs.map(rwkv6Case);
}
