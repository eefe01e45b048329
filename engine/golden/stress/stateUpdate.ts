// Stress cases for selective_state_update, one decode step of the scan: Mamba-1 (per channel) and
// Mamba-2 (per head, scalar A per head, or upstream's full (h,p,n) shapes), with and without optionals.

import { Rng, type RawArray, type StressCase, real, softplus, silu, vals, unif, heat, mk } from './common';

export function stateUpdateCases(): StressCase[] {
  const out: StressCase[] = [];
  const specs = [
    { name: 'mamba1_b3_d7_n5', seed: 1300, heads: 0, b: 3, H: 1, P: 7, N: 5, G: 1, full: true },
    { name: 'mamba2_b2_h6_p5_n4_g2', seed: 1301, heads: 6, b: 2, H: 6, P: 5, N: 4, G: 2, full: true },
    {
      name: 'mamba2_b2_h32_p64_n128_g8',
      seed: 1303,
      heads: 32,
      b: 2,
      H: 32,
      P: 64,
      N: 128,
      G: 8,
      full: true,
    },
    { name: 'mamba1_no_optional', seed: 1302, heads: 0, b: 2, H: 1, P: 9, N: 3, G: 1, full: false },
  ];
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { b, H, P, N, G } = s;
    const m2 = s.heads > 0;
    const nRow = m2 ? H : P; // dt, dt_bias, D are per head (Mamba-2) or per channel (Mamba-1)
    const state = vals(r, b * H * P * N);
    const x = vals(r, b * H * P);
    const dt = s.full ? heat(r, vals(r, b * nRow, 1, -2), 3, 21) : unif(r, b * nRow, 0.01, 0.2);
    const A = m2 ? unif(r, H, -8, -1) : unif(r, P * N, -3, -0.2);
    const Bm = vals(r, b * G * N);
    const Cm = vals(r, b * G * N);
    const Dv = vals(r, nRow);
    const z = vals(r, b * H * P);
    const bias = vals(r, nRow, 0.5);
    const ns = new Float64Array(b * H * P * N);
    const o = new Float64Array(b * H * P);
    for (let bb = 0; bb < b; bb++)
      for (let h = 0; h < H; h++) {
        const g = Math.floor(h / (H / G));
        for (let p = 0; p < P; p++) {
          const row = m2 ? h : p;
          let d = dt[bb * nRow + row] + (s.full ? bias[row] : 0);
          if (s.full) d = softplus(d);
          const xi = x[(bb * H + h) * P + p];
          let y = 0;
          for (let n = 0; n < N; n++) {
            const k = ((bb * H + h) * P + p) * N + n;
            const a = m2 ? A[h] : A[p * N + n];
            ns[k] = state[k] * Math.exp(d * a) + d * Bm[(bb * G + g) * N + n] * xi;
            y += ns[k] * Cm[(bb * G + g) * N + n];
          }
          if (s.full) y = (y + xi * Dv[row]) * silu(z[(bb * H + h) * P + p]);
          o[(bb * H + h) * P + p] = y;
        }
      }
    const stShape = m2 ? [b, H, P, N] : [b, P, N];
    const xShape = m2 ? [b, H, P] : [b, P];
    const bShape = m2 ? [b, G, N] : [b, N];
    const inputs: Record<string, RawArray> = {
      state: real(stShape, state),
      x: real(xShape, x),
      dt: real([b, nRow], dt),
      A: m2 ? real([H], A) : real([P, N], A),
      B: real(bShape, Bm),
      C: real(bShape, Cm),
    };
    if (s.full) {
      inputs.D = real([nRow], Dv);
      inputs.z = real(xShape, z);
      inputs.dt_bias = real([nRow], bias);
    }
    const params: Record<string, unknown> = { dt_softplus: s.full };
    if (m2) params.broadcast = 'dt,dt_bias,D over p; A over (p,n)';
    out.push(
      mk(
        'selective_state_update_ref',
        `selective_state_update_${s.name}`,
        s.seed,
        'one decode step',
        params,
        inputs,
        {
          out: real(xShape, o),
          new_state: real(stShape, ns),
        },
      ),
    );
  }
  return out;
}

/** Upstream's full Mamba-2 step shapes: A (h,p,n), dt (b,h,p), dt_bias and D (h,p), z (b,h,p), B/C (b,g,n). */
export function stateUpdateFullShapes(): StressCase {
  const r = new Rng(1304);
  const [b, H, P, N, G] = [2, 4, 3, 5, 2];
  const state = vals(r, b * H * P * N);
  const x = vals(r, b * H * P);
  const dt = heat(r, vals(r, b * H * P, 1, -2), 4, 21);
  const A = unif(r, H * P * N, -4, -0.5);
  const [B, C] = [vals(r, b * G * N), vals(r, b * G * N)];
  const [D, bias, z] = [vals(r, H * P), vals(r, H * P, 0.5), vals(r, b * H * P)];
  const ns = new Float64Array(state.length);
  const out = new Float64Array(b * H * P);
  for (let bb = 0; bb < b; bb++)
    for (let h = 0; h < H; h++)
      for (let p = 0; p < P; p++) {
        const row = (bb * H + h) * P + p;
        const d = softplus(dt[row] + bias[h * P + p]);
        const g = Math.floor(h / (H / G));
        let y = 0;
        for (let n = 0; n < N; n++) {
          const k = row * N + n;
          ns[k] = state[k] * Math.exp(d * A[(h * P + p) * N + n]) + d * B[(bb * G + g) * N + n] * x[row];
          y += ns[k] * C[(bb * G + g) * N + n];
        }
        out[row] = (y + x[row] * D[h * P + p]) * silu(z[row]);
      }
  return mk(
    'selective_state_update_ref',
    'selective_state_update_mamba2_full_shapes',
    1304,
    'one decode step',
    { dt_softplus: true },
    {
      state: real([b, H, P, N], state),
      x: real([b, H, P], x),
      dt: real([b, H, P], dt),
      A: real([H, P, N], A),
      B: real([b, G, N], B),
      C: real([b, G, N], C),
      D: real([H, P], D),
      z: real([b, H, P], z),
      dt_bias: real([H, P], bias),
    },
    { out: real([b, H, P], out), new_state: real([b, H, P, N], ns) },
  );
}
