// One Elman RNN cell step for a batch: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act = tanh or relu.
// One invocation per (batch row n, hidden unit j): it reads row j of W_ih and W_hh and the rows x_n, h_n
// straight from storage (in + hidden reads each) and writes h'[n, j] once. The uniform, the bindings
// 0..7, the grid and the entry: rnn/cellStep.wgsl.

override RELU: bool = false;

fn cell(n: u32, j: u32) {
  hOut[n * p.hidden + j] = elmanAct(preActivation(j, n), RELU);
}
