// CPU reference (float64) for torch.nn.LSTM (unidirectional, no dropout, proj_size 0): one cell step with
// its four gates, and the multi-layer sequence. Gate order i, f, g, o (W_ih (4H, in), W_hh (4H, H)).

import { sigmoid } from './math';

type Arr = ArrayLike<number>;

export interface LstmLayer {
  Wih: Arr; // (4H, in_l)
  Whh: Arr; // (4H, H)
  bih?: Arr | null; // (4H,)
  bhh?: Arr | null; // (4H,)
}

export interface LstmShape {
  T: number;
  b: number;
  inSize: number;
  hidden: number;
  batchFirst?: boolean;
}

export interface LstmCellOut {
  h: Float64Array; // (b, H)
  c: Float64Array; // (b, H)
  /** The activated gates, (b, 4H) in the order i, f, g, o. */
  gates: Float64Array;
}

/** gates = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = σ(f)∘c + σ(i)∘tanh(g); h' = σ(o)∘tanh(c'). */
export function lstmCell(
  x: Arr,
  h: Arr,
  c: Arr,
  w: LstmLayer,
  b: number,
  inSize: number,
  H: number,
): LstmCellOut {
  const hOut = new Float64Array(b * H);
  const cOut = new Float64Array(b * H);
  const gates = new Float64Array(b * 4 * H);
  for (let n = 0; n < b; n++) {
    for (let r = 0; r < 4 * H; r++) {
      let acc = (w.bih ? w.bih[r] : 0) + (w.bhh ? w.bhh[r] : 0);
      for (let i = 0; i < inSize; i++) acc += w.Wih[r * inSize + i] * x[n * inSize + i];
      for (let i = 0; i < H; i++) acc += w.Whh[r * H + i] * h[n * H + i];
      gates[n * 4 * H + r] = r >= 2 * H && r < 3 * H ? Math.tanh(acc) : sigmoid(acc);
    }
    for (let j = 0; j < H; j++) {
      const g = n * 4 * H;
      const cj = gates[g + H + j] * c[n * H + j] + gates[g + j] * gates[g + 2 * H + j];
      cOut[n * H + j] = cj;
      hOut[n * H + j] = gates[g + 3 * H + j] * Math.tanh(cj);
    }
  }
  return { h: hOut, c: cOut, gates };
}

/**
 * torch.nn.LSTM: x (T,b,in) or (b,T,in) with batchFirst; h0, c0 (layers,b,H) or zeros. Returns output (top
 * layer's h_t for every t, in x's layout) and h_n, c_n (layers,b,H) (never batch-first).
 */
export function lstm(p: LstmShape, x: Arr, layers: LstmLayer[], h0?: Arr | null, c0?: Arr | null) {
  const { T, b, inSize, hidden: H } = p;
  const L = layers.length;
  const at = (t: number, n: number) => (p.batchFirst ? n * T + t : t * b + n);
  const h: Float64Array[] = Array.from({ length: L }, (_, l) =>
    Float64Array.from({ length: b * H }, (_, i) => h0?.[l * b * H + i] ?? 0),
  );
  const c: Float64Array[] = Array.from({ length: L }, (_, l) =>
    Float64Array.from({ length: b * H }, (_, i) => c0?.[l * b * H + i] ?? 0),
  );
  const output = new Float64Array(T * b * H);
  const xt = new Float64Array(b * inSize);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < b; n++)
      for (let i = 0; i < inSize; i++) xt[n * inSize + i] = x[at(t, n) * inSize + i];
    let input: Arr = xt;
    for (let l = 0; l < L; l++) {
      const r = lstmCell(input, h[l], c[l], layers[l], b, l === 0 ? inSize : H, H);
      h[l] = r.h;
      c[l] = r.c;
      input = r.h;
    }
    for (let n = 0; n < b; n++) for (let j = 0; j < H; j++) output[at(t, n) * H + j] = h[L - 1][n * H + j];
  }
  const stack = (a: Float64Array[]) => {
    const out = new Float64Array(L * b * H);
    for (const [l, v] of a.entries()) out.set(v, l * b * H);
    return out;
  };
  return { output, hN: stack(h), cN: stack(c) };
}
