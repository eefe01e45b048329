// Shared by the RNN family's kernels. Functions only.

/** The Elman nonlinearity: relu when `relu`, else tanh (torch.nn.RNN's nonlinearity). */
fn elmanAct(x: f32, relu: bool) -> f32 {
  if (relu) {
    return max(x, 0.0);
  }
  return tanh(x);
}
