// The rnn stage's named TeX snippets, shared by the prose and the diagrams. On screen t = 1, …, T with
// h_0 = 0 (and c_0 = 0); the engine counts from 0 and names the weights as PyTorch does: W = W_hh,
// U = W_ih, b = b_ih + b_hh (docs/notation.md).

export const rnnTex = {
  elman: String.raw`h_t = \tanh\!\left(W\,h_{t-1} + U\,x_t + b\right), \qquad h_0 = 0,\; t = 1, \dots, T`,
  names: String.raw`W = W_{hh} \in \mathbb{R}^{H\times H},\quad U = W_{ih} \in \mathbb{R}^{H\times d},\quad b = b_{ih} + b_{hh}`,
  chain: String.raw`h_T = f\big(f(\cdots f(h_0, x_1) \cdots, x_{T-1}), x_T\big)`,
  cost: String.raw`\underbrace{H(d + H)}_{\text{RNN}} \qquad \underbrace{4H(d + H)}_{\text{LSTM}}`,
  perturb: String.raw`x'_s = x_s + \varepsilon\, v,\;\; \lVert v \rVert = 1; \qquad x'_t = x_t \;\; (t \ne s)`,
  distance: String.raw`\delta_t = \lVert h'_t - h_t \rVert`,
  jacobian: String.raw`\frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}\!\left(1 - h_t^{2}\right) W`,
  gates: String.raw`\begin{aligned} i_t &= \sigma(W_i h_{t-1} + U_i x_t + b_i) \\ f_t &= \sigma(W_f h_{t-1} + U_f x_t + b_f) \\ g_t &= \tanh(W_g h_{t-1} + U_g x_t + b_g) \\ o_t &= \sigma(W_o h_{t-1} + U_o x_t + b_o) \end{aligned}`,
  cell: String.raw`\begin{aligned} c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\ h_t &= o_t \odot \tanh(c_t) \end{aligned}`,
  cellGrad: String.raw`\frac{\partial c_t}{\partial c_{t-1}} = \operatorname{diag}(f_t) + \cdots`,
} as const;
