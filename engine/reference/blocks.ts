// CPU references (float64) for the whole Mamba and Mamba-2 blocks (no fused kernel, no cache) and the
// gated RMSNorm, composed from the family references: a projection, the causal conv1d, SiLU, the
// selective scan (Mamba) or the SSD recurrence (Mamba-2). Weights keep their torch state_dict shapes.
// Returns the intermediates the stages show. Leaves out decoding caches and dt limits.

import { causalConv1d } from './causalConv1d';
import { selectiveScan } from './mamba';
import { silu, softplus } from './math';
import { ssdRecurrent } from './ssd';

type Arr = ArrayLike<number>;

/** y (rows, out) = x (rows, in) Wᵀ (+ bias): W (out, in), torch's nn.Linear. */
export function linear(
  x: Arr,
  W: Arr,
  rows: number,
  inF: number,
  outF: number,
  bias?: Arr | null,
): Float64Array {
  if (x.length !== rows * inF || W.length !== outF * inF)
    throw new Error(
      `linear: x (${rows},${inF}) and W (${outF},${inF}) do not match (${x.length}, ${W.length})`,
    );
  const y = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outF; o++) {
      let acc = bias ? bias[o] : 0;
      for (let i = 0; i < inF; i++) acc += x[r * inF + i] * W[o * inF + i];
      y[r * outF + o] = acc;
    }
  return y;
}

/** (b, L, C) <-> (b, C, L). */
export function transposeLast(x: Arr, b: number, R: number, C: number): Float64Array {
  const out = new Float64Array(b * R * C);
  for (let n = 0; n < b; n++)
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[(n * C + c) * R + r] = x[(n * R + r) * C + c];
  return out;
}

export interface MambaBlockDims {
  batch: number;
  L: number;
  dModel: number;
  dInner: number;
  N: number;
  dConv: number;
  dtRank: number;
}

export interface MambaBlockWeights {
  inProj: Arr; // (2 d_inner, d_model)
  inProjBias?: Arr | null; // (2 d_inner,)
  conv: Arr; // (d_inner, d_conv) (torch's (d_inner, 1, d_conv))
  convBias?: Arr | null; // (d_inner,)
  xProj: Arr; // (dt_rank + 2N, d_inner)
  dtProj: Arr; // (d_inner, dt_rank)
  dtProjBias: Arr; // (d_inner,): the scan's delta_bias, not added in the projection
  Alog: Arr; // (d_inner, N)
  D: Arr; // (d_inner,)
  outProj: Arr; // (d_model, d_inner)
  outProjBias?: Arr | null; // (d_model,)
}

/** Mamba.forward without the fused path: every intermediate the stage shows, in upstream's layouts. */
export function mambaBlock(d: MambaBlockDims, h: Arr, w: MambaBlockWeights) {
  const { batch, L, dModel, dInner, N, dConv, dtRank } = d;
  const rows = batch * L;
  const xzT = linear(h, w.inProj, rows, dModel, 2 * dInner, w.inProjBias); // (b, L, 2 d_inner)
  const xz = transposeLast(xzT, batch, L, 2 * dInner); // (b, 2 d_inner, L)
  const x = new Float64Array(batch * dInner * L);
  const z = new Float64Array(batch * dInner * L);
  for (let n = 0; n < batch; n++) {
    x.set(xz.subarray(n * 2 * dInner * L, (n * 2 + 1) * dInner * L), n * dInner * L);
    z.set(xz.subarray((n * 2 + 1) * dInner * L, (n + 1) * 2 * dInner * L), n * dInner * L);
  }
  const conv = causalConv1d(
    { batch, D: dInner, L, W: dConv, silu: true },
    { x, weight: w.conv, bias: w.convBias ?? undefined },
  );
  const xConv = conv.out; // (b, d_inner, L)
  const xDbl = linear(transposeLast(xConv, batch, dInner, L), w.xProj, rows, dInner, dtRank + 2 * N); // (b·L, R+2N)
  const dtLow = new Float64Array(rows * dtRank);
  const Bt = new Float64Array(rows * N);
  const Ct = new Float64Array(rows * N);
  for (let r = 0; r < rows; r++) {
    const o = r * (dtRank + 2 * N);
    for (let i = 0; i < dtRank; i++) dtLow[r * dtRank + i] = xDbl[o + i];
    for (let i = 0; i < N; i++) {
      Bt[r * N + i] = xDbl[o + dtRank + i];
      Ct[r * N + i] = xDbl[o + dtRank + N + i];
    }
  }
  const dt = transposeLast(linear(dtLow, w.dtProj, rows, dtRank, dInner), batch, L, dInner); // (b, d_inner, L)
  const B = transposeLast(Bt, batch, L, N); // (b, N, L)
  const C = transposeLast(Ct, batch, L, N);
  const A = Float64Array.from(w.Alog, (v) => -Math.exp(v));
  const delta = Float64Array.from(dt, (v, i) => softplus(v + w.dtProjBias[Math.floor(i / L) % dInner]));
  const scan = selectiveScan(
    { batch, D: dInner, L, N, complex: false, bGroups: 1, cGroups: 1, deltaSoftplus: true },
    { u: xConv, delta: dt, A, B, C, Dskip: w.D, z, deltaBias: w.dtProjBias },
  );
  const y = transposeLast(scan.out, batch, dInner, L); // (b, L, d_inner)
  const out = linear(y, w.outProj, rows, dInner, dModel, w.outProjBias);
  return { out, xz, xConv, dt, delta, B, C, y };
}

export interface RmsNormGatedOptions {
  eps: number;
  /** Features per group of the last dim (the whole dim when absent). */
  groupSize?: number | null;
  normBeforeGate: boolean;
}

/** layernorm_gated.rms_norm_ref: x, z (rows, F); weight, bias (F,); per group of groupSize features. */
export function rmsNormGated(
  x: Arr,
  F: number,
  weight: Arr,
  o: RmsNormGatedOptions,
  z?: Arr | null,
  bias?: Arr | null,
) {
  const gs = o.groupSize ?? F;
  if (F % gs !== 0) throw new Error(`rms_norm_gated: group size ${gs} does not divide ${F}`);
  if (x.length % F !== 0 || weight.length !== F)
    throw new Error(`rms_norm_gated: x is not (…, ${F}) or weight not (${F},)`);
  const out = Float64Array.from(x);
  if (z && !o.normBeforeGate) for (let i = 0; i < out.length; i++) out[i] *= silu(z[i]);
  for (let g0 = 0; g0 < out.length; g0 += gs) {
    let ms = 0;
    for (let i = g0; i < g0 + gs; i++) ms += out[i] * out[i];
    const r = 1 / Math.sqrt(ms / gs + o.eps);
    for (let i = g0; i < g0 + gs; i++) {
      const f = i % F;
      out[i] = out[i] * r * weight[f] + (bias ? bias[f] : 0);
      if (z && o.normBeforeGate) out[i] *= silu(z[i]);
    }
  }
  return out;
}

export interface Mamba2BlockDims {
  batch: number;
  L: number;
  dModel: number;
  /** out_proj's input width (2·d_model); d_mlp = dInner − H·P. */
  dInner: number;
  H: number;
  P: number;
  N: number;
  G: number;
  dConv: number;
  rmsnorm: boolean;
  normBeforeGate: boolean;
  normGroupSize?: number | null;
  eps: number;
}

export interface Mamba2BlockWeights {
  inProj: Arr; // (2 d_mlp + 2 d_ssm + 2 G N + H, d_model)
  inProjBias?: Arr | null;
  conv: Arr; // (conv_dim, d_conv)
  convBias?: Arr | null; // (conv_dim,)
  dtBias: Arr; // (H,)
  Alog: Arr; // (H,)
  D: Arr; // (H,) or (H·P,)
  norm?: Arr | null; // (d_ssm,)
  outProj: Arr; // (d_model, d_inner)
  outProjBias?: Arr | null;
}

/** Mamba2.forward without the fused path; intermediates in upstream's (b, L, ·) layouts. */
export function mamba2Block(d: Mamba2BlockDims, u: Arr, w: Mamba2BlockWeights) {
  const { batch, L, dModel, H, P, N, G } = d;
  const dSsm = H * P;
  const dMlp = d.dInner - dSsm;
  const convDim = dSsm + 2 * G * N;
  const width = 2 * dMlp + 2 * dSsm + 2 * G * N + H;
  const rows = batch * L;
  const zxbcdt = linear(u, w.inProj, rows, dModel, width, w.inProjBias); // (b, L, width)
  const col = (r: number, from: number, n: number) => zxbcdt.subarray(r * width + from, r * width + from + n);
  const xbcIn = new Float64Array(rows * convDim);
  for (let r = 0; r < rows; r++) xbcIn.set(col(r, 2 * dMlp + dSsm, convDim), r * convDim);
  const conv = causalConv1d(
    { batch, D: convDim, L, W: d.dConv, silu: true },
    { x: transposeLast(xbcIn, batch, L, convDim), weight: w.conv, bias: w.convBias ?? undefined },
  );
  const xBC = transposeLast(conv.out, batch, convDim, L); // (b, L, conv_dim)
  const X = new Float64Array(rows * dSsm);
  const B = new Float64Array(rows * G * N);
  const C = new Float64Array(rows * G * N);
  const dt = new Float64Array(rows * H);
  const Adt = new Float64Array(rows * H);
  for (let r = 0; r < rows; r++) {
    for (let hh = 0; hh < H; hh++) {
      dt[r * H + hh] = softplus(zxbcdt[r * width + width - H + hh] + w.dtBias[hh]);
      Adt[r * H + hh] = -Math.exp(w.Alog[hh]) * dt[r * H + hh];
      for (let p = 0; p < P; p++) X[(r * H + hh) * P + p] = xBC[r * convDim + hh * P + p] * dt[r * H + hh];
    }
    B.set(xBC.subarray(r * convDim + dSsm, r * convDim + dSsm + G * N), r * G * N);
    C.set(xBC.subarray(r * convDim + dSsm + G * N, (r + 1) * convDim), r * G * N);
  }
  const { Y } = ssdRecurrent({ batch, T: L, H, P, N, G }, { X, A: Adt, B, C });
  const perChannel = w.D.length === dSsm;
  const ySsm = new Float64Array(rows * dSsm);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < dSsm; i++) {
      let v = Y[r * dSsm + i] + (perChannel ? w.D[i] : w.D[Math.floor(i / P)]) * xBC[r * convDim + i];
      if (!d.rmsnorm) v *= silu(zxbcdt[r * width + 2 * dMlp + i]);
      ySsm[r * dSsm + i] = v;
    }
  const z = new Float64Array(rows * dSsm);
  for (let r = 0; r < rows; r++) z.set(col(r, 2 * dMlp, dSsm), r * dSsm);
  const normed = d.rmsnorm
    ? rmsNormGated(
        ySsm,
        dSsm,
        w.norm ?? new Float64Array(dSsm).fill(1),
        {
          eps: d.eps,
          groupSize: d.normGroupSize ?? dSsm / G,
          normBeforeGate: d.normBeforeGate,
        },
        z,
      )
    : ySsm;
  const yNorm = new Float64Array(rows * d.dInner);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < dMlp; i++)
      yNorm[r * d.dInner + i] = silu(zxbcdt[r * width + i]) * zxbcdt[r * width + dMlp + i];
    yNorm.set(normed.subarray(r * dSsm, (r + 1) * dSsm), r * d.dInner + dMlp);
  }
  const out = linear(yNorm, w.outProj, rows, d.dInner, dModel, w.outProjBias);
  return { out, zxbcdt, xBC, dt, ySsm, yNorm };
}
