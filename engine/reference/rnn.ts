// CPU references (float64) for the Elman RNN: one cell step (torch.nn.RNNCell) and the multi-layer,
// unidirectional torch.nn.RNN without dropout. Weights W_ih (hidden, in), W_hh (hidden, hidden).

type Arr = ArrayLike<number>;
export type Nonlinearity = 'tanh' | 'relu';

export interface RnnLayer {
  Wih: Arr; // (hidden, in_l)
  Whh: Arr; // (hidden, hidden)
  bih?: Arr | null; // (hidden,)
  bhh?: Arr | null; // (hidden,)
}

export function activate(x: number, nl: Nonlinearity): number {
  return nl === 'relu' ? Math.max(0, x) : Math.tanh(x);
}

/** h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) for a batch: x (b, in), h (b, hidden) -> (b, hidden). */
export function rnnStep(
  x: Arr,
  h: Arr,
  layer: RnnLayer,
  b: number,
  inSize: number,
  hidden: number,
  nl: Nonlinearity = 'tanh',
): Float64Array {
  const out = new Float64Array(b * hidden);
  for (let n = 0; n < b; n++) {
    for (let j = 0; j < hidden; j++) {
      let acc = (layer.bih ? layer.bih[j] : 0) + (layer.bhh ? layer.bhh[j] : 0);
      for (let i = 0; i < inSize; i++) acc += layer.Wih[j * inSize + i] * x[n * inSize + i];
      for (let i = 0; i < hidden; i++) acc += layer.Whh[j * hidden + i] * h[n * hidden + i];
      out[n * hidden + j] = activate(acc, nl);
    }
  }
  return out;
}

export interface ElmanShape {
  T: number;
  b: number;
  inSize: number;
  hidden: number;
  batchFirst?: boolean;
  nonlinearity?: Nonlinearity;
}

/**
 * torch.nn.RNN: x (T,b,in) or (b,T,in) with batchFirst; h0 (layers,b,hidden) or zeros.
 * Returns output (top-layer h_t for every t, in x's layout) and h_n (layers,b,hidden).
 */
export function elmanRnn(p: ElmanShape, x: Arr, layers: RnnLayer[], h0?: Arr | null) {
  const { T, b, inSize, hidden } = p;
  const nl = p.nonlinearity ?? 'tanh';
  const idx = (t: number, n: number) => (p.batchFirst ? n * T + t : t * b + n);
  let seq: Float64Array = new Float64Array(T * b * inSize); // (T, b, in_l), time-major while we work
  for (let t = 0; t < T; t++)
    for (let n = 0; n < b; n++)
      for (let i = 0; i < inSize; i++) seq[(t * b + n) * inSize + i] = x[idx(t, n) * inSize + i];
  let width = inSize;
  const hn = new Float64Array(layers.length * b * hidden);
  layers.forEach((layer, l) => {
    let h: Float64Array = h0
      ? Float64Array.from(Array.prototype.slice.call(h0, l * b * hidden, (l + 1) * b * hidden))
      : new Float64Array(b * hidden);
    const next = new Float64Array(T * b * hidden);
    for (let t = 0; t < T; t++) {
      h = rnnStep(seq.subarray(t * b * width, (t + 1) * b * width), h, layer, b, width, hidden, nl);
      next.set(h, t * b * hidden);
    }
    hn.set(h, l * b * hidden);
    seq = next;
    width = hidden;
  });
  const output = new Float64Array(T * b * hidden);
  for (let t = 0; t < T; t++)
    for (let n = 0; n < b; n++)
      for (let j = 0; j < hidden; j++) output[idx(t, n) * hidden + j] = seq[(t * b + n) * hidden + j];
  return { output, hn };
}
