// Stress cases for segsum, SSD (minimal, naive quadratic) and the full Mamba-2 op, all checked against the
// plain recurrence h_t = e^{A_t} h_{t-1} + X_t B_tᵀ: ragged chunks, chunks longer than T, strong decay.

import {
  Rng,
  type Arr,
  type RawArray,
  type StressCase,
  real,
  f,
  softplus,
  silu,
  vals,
  unif,
  heat,
  mk,
} from './common';

export function segsumCases(): StressCase[] {
  return [[3, 13], [2, 1, 33], [17], [1, 256]].map((shape, k) => {
    const r = new Rng(1500 + k);
    const T = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const x = vals(r, rows * T);
    const o = new Float64Array(rows * T * T);
    for (let q = 0; q < rows; q++)
      for (let i = 0; i < T; i++)
        for (let j = 0; j < T; j++) {
          let s = j > i ? -Infinity : 0;
          for (let m = j + 1; m <= i; m++) s += x[q * T + m];
          o[(q * T + i) * T + j] = s;
        }
    return mk(
      'segsum',
      `segsum_${shape.join('x')}`,
      1500 + k,
      'segment sums',
      {},
      { x: real(shape, x) },
      {
        out: real([...shape, T], o),
      },
    );
  });
}

/** h_t = e^{A_t} h_{t-1} + X_t B_t^T, y_t = h_t C_t per (b, head); B/C head index hb(h). */
export function ssdRecurrence(
  X: Arr,
  A: Arr,
  B: Arr,
  C: Arr,
  dims: { b: number; T: number; h: number; p: number; n: number; hB: number },
  h0?: Arr,
) {
  const { b, T, h, p, n, hB } = dims;
  const Y = new Float64Array(b * T * h * p);
  const fin = new Float64Array(b * h * p * n);
  for (let bb = 0; bb < b; bb++)
    for (let hh = 0; hh < h; hh++) {
      const hb = hB === 1 ? 0 : Math.floor(hh / (h / hB));
      const S = new Float64Array(p * n);
      if (h0) for (let i = 0; i < p * n; i++) S[i] = h0[(bb * h + hh) * p * n + i];
      for (let t = 0; t < T; t++) {
        const e = Math.exp(A[(bb * T + t) * h + hh]);
        const bo = ((bb * T + t) * hB + hb) * n;
        const xo = ((bb * T + t) * h + hh) * p;
        for (let i = 0; i < p; i++) {
          let y = 0;
          for (let j = 0; j < n; j++) {
            S[i * n + j] = e * S[i * n + j] + X[xo + i] * B[bo + j];
            y += S[i * n + j] * C[bo + j];
          }
          Y[xo + i] = y;
        }
      }
      fin.set(S, (bb * h + hh) * p * n);
    }
  return { Y, fin };
}

export function ssdCases(): StressCase[] {
  const out: StressCase[] = [];
  for (const s of [
    { b: 1, T: 301, h: 3, p: 5, n: 7, hB: 3, bl: 64, init: true, seed: 1600 },
    { b: 2, T: 50, h: 2, p: 3, n: 4, hB: 1, bl: 16, init: false, seed: 1601 },
    { b: 1, T: 1000, h: 2, p: 4, n: 6, hB: 2, bl: 128, init: false, seed: 1602 },
    { b: 1, T: 999, h: 2, p: 64, n: 64, hB: 1, bl: 256, init: true, seed: 1603 },
    { b: 2, T: 37, h: 1, p: 3, n: 5, hB: 1, bl: 64, init: true, seed: 1604 },
    { b: 1, T: 300, h: 2, p: 4, n: 5, hB: 2, bl: 64, init: true, seed: 1605, strong: true },
  ]) {
    const r = new Rng(s.seed);
    const { b, T, h, p, n, hB } = s;
    const dt = unif(r, b * T * h, 0.001, 0.1);
    const X = Float64Array.from(vals(r, b * T * h * p), (v, i) => f(v * dt[Math.floor(i / p)]));
    // strong: log-decays of -1..-6 per step, so a 64-step chunk spans e^-200 (no exp(+cumsum) may survive).
    const A = Float64Array.from(dt, (d) => f(s.strong ? -1 - 5 * r.next() : -d * (1 + 7 * r.next())));
    const B = vals(r, b * T * hB * n);
    const C = vals(r, b * T * hB * n);
    const h0 = vals(r, b * h * p * n);
    const { Y, fin } = ssdRecurrence(X, A, B, C, s, s.init ? h0 : undefined);
    const inputs: Record<string, RawArray> = {
      X: real([b, T, h, p], X),
      A: real([b, T, h], A),
      B: real([b, T, hB, n], B),
      C: real([b, T, hB, n], C),
    };
    if (s.init) inputs.initial_states = real([b, 1, h, p, n], h0);
    const tag = `b${b}_T${T}_h${h}_bl${s.bl}${hB === 1 ? '_Bhead1' : ''}${s.strong ? '_strong_decay' : ''}`;
    out.push(
      mk(
        'ssd_minimal_discrete',
        `ssd_minimal${s.init ? '_init' : ''}_${tag}`,
        s.seed,
        'SSD by the recurrence',
        { block_len: s.bl },
        inputs,
        {
          Y: real([b, T, h, p], Y),
          final_state: real([b, h, p, n], fin),
        },
      ),
    );
    if (!s.init) {
      const q = { ...inputs };
      out.push(
        mk('ssd_naive_quadratic', `ssd_naive_quadratic_${tag}`, s.seed, 'SSD by the recurrence', {}, q, {
          Y: real([b, T, h, p], Y),
        }),
      );
    }
  }
  for (const s of [
    { b: 1, T: 300, h: 6, g: 3, p: 5, n: 7, Q: 64, full: true, seed: 1610 },
    { b: 2, T: 37, h: 4, g: 1, p: 3, n: 4, Q: 16, full: false, seed: 1611 },
    { b: 1, T: 1000, h: 4, g: 2, p: 64, n: 128, Q: 256, full: true, seed: 1612 },
    { b: 1, T: 70, h: 2, g: 2, p: 3, n: 4, Q: 32, full: false, seed: 1613, Dhp: true },
  ]) {
    const r = new Rng(s.seed);
    const { b, T, h, g, p, n } = s;
    const x = vals(r, b * T * h * p);
    const dtRaw = heat(r, vals(r, b * T * h, 1, -3), 11, 21);
    const A = Float64Array.from(unif(r, h, 1, 16), (v) => -v);
    const B = vals(r, b * T * g * n);
    const C = vals(r, b * T * g * n);
    const D = vals(r, s.Dhp ? h * p : h);
    const z = vals(r, b * T * h * p);
    const bias = vals(r, h, 0.5);
    // Dhp: D of shape (h, p), no z, dt_softplus=False (dt used raw, so it must be positive).
    if (s.Dhp) for (let i = 0; i < dtRaw.length; i++) dtRaw[i] = f(0.01 + 0.1 * r.next());
    const dtp = Float64Array.from(dtRaw, (v, i) => (s.Dhp ? v : softplus(v + (s.full ? bias[i % h] : 0))));
    const X = Float64Array.from(x, (v, i) => v * dtp[Math.floor(i / p)]);
    const Al = Float64Array.from(dtp, (v, i) => v * A[i % h]);
    const { Y } = ssdRecurrence(X, Al, B, C, { b, T, h, p, n, hB: g });
    if (s.full)
      for (let i = 0; i < Y.length; i++) Y[i] = (Y[i] + x[i] * D[Math.floor(i / p) % h]) * silu(z[i]);
    if (s.Dhp) for (let i = 0; i < Y.length; i++) Y[i] += x[i] * D[i % (h * p)];
    const inputs: Record<string, RawArray> = {
      x: real([b, T, h, p], x),
      dt: real([b, T, h], dtRaw),
      A: real([h], A),
      B: real([b, T, g, n], B),
      C: real([b, T, g, n], C),
    };
    if (s.Dhp) inputs.D = real([h, p], D);
    if (s.full) {
      inputs.D = real([h], D);
      inputs.z = real([b, T, h, p], z);
      inputs.dt_bias = real([h], bias);
    }
    out.push(
      mk(
        'ssd_chunk_scan_combined_ref',
        `mamba2_ssd_combined_b${b}_T${T}_h${h}_g${g}_Q${s.Q}${s.Dhp ? '_Dhp_nosoftplus' : s.full ? '' : '_noDzbias'}`,
        s.seed,
        'Mamba-2 by the recurrence',
        { chunk_size: s.Q, dt_softplus: !s.Dhp },
        inputs,
        {
          out: real([b, T, h, p], Y),
        },
      ),
    );
  }
  return out;
}
