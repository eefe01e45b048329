// Shared by the RNN family's kernels: the nonlinearities, the LSTM unit and the layout of a sequence output.
// Functions and structs only (the cell steps' uniform and bindings: cellStep.wgsl).

/** The Elman nonlinearity: relu when `relu`, else tanh (torch.nn.RNN's nonlinearity). */
fn elmanAct(x: f32, relu: bool) -> f32 {
  if (relu) {
    return max(x, 0.0);
  }
  return tanh(x);
}

/** σ(x) without overflow: exp only ever sees −|x|, so |x| > 88 gives exactly 0 or 1, never NaN. */
fn sigmoidSafe(x: f32) -> f32 {
  let e = exp(-abs(x));
  if (x >= 0.0) {
    return 1.0 / (1.0 + e);
  }
  return e / (1.0 + e);
}

/** tanh(x) without overflow: sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|) ∈ (0, 1], so ±1 in the tails. */
fn tanhSafe(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  let t = (1.0 - e) / (1.0 + e);
  if (x < 0.0) {
    return -t;
  }
  return t;
}

/** One LSTM unit from its four pre-activations (i, f, g, o) and c_{t−1}: the activated gates, then c_t, h_t. */
struct LstmUnit {
  gates: vec4<f32>,  // σ(i), σ(f), tanh(g), σ(o)
  c: f32,
  h: f32,
}

fn lstmUnit(pre: vec4<f32>, cPrev: f32) -> LstmUnit {
  let a = vec4<f32>(sigmoidSafe(pre.x), sigmoidSafe(pre.y), tanhSafe(pre.z), sigmoidSafe(pre.w));
  let c = a.y * cPrev + a.x * a.z;
  return LstmUnit(a, c, a.w * tanhSafe(c));
}

/** Where h_t of sample n starts in a (T, b, hidden) output, or a (b, T, hidden) one when batchFirst. */
fn seqOffset(t: u32, n: u32, T: u32, b: u32, hidden: u32, batchFirst: u32) -> u32 {
  if (batchFirst != 0u) {
    return (n * T + t) * hidden;
  }
  return (t * b + n) * hidden;
}
