// The intro stage's named TeX snippets, shared by the prose and the table: each model's state update in
// its paper's symbols (docs/notation.md), h for a recurrent state, S for linear attention's matrix state,
// K, V for attention's cache.

export const introTex = {
  state: String.raw`h_t = f(h_{t-1}, x_t), \qquad y_t = g(h_t)`,
  rnn: String.raw`h_t = \tanh\!\left(W h_{t-1} + U x_t + b\right)`,
  attention: String.raw`y_t = \sum_{s \le t} \operatorname{softmax}_s\!\left(\frac{q_t^\top k_s}{\sqrt d}\right) v_s`,
  cache: String.raw`K_{1:t} = [K_{1:t-1}; k_t],\; V_{1:t} = [V_{1:t-1}; v_t]`,
  linear: String.raw`S_t = S_{t-1} + k_t v_t^\top`,
  ssm: String.raw`h_t = \bar A\, h_{t-1} + \bar B\, x_t`,
  mamba: String.raw`h_t = e^{\Delta_t A} h_{t-1} + \Delta_t B_t x_t`,
  mamba2: String.raw`h_t = e^{\Delta_t a} h_{t-1} + \Delta_t x_t B_t^\top`,
  h: 'h_t',
  kv: 'K_{1:t}, V_{1:t}',
  S: 'S_t',
} as const;
