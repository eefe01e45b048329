// The ssm stage's named TeX snippets, shared by the prose and the diagrams. Notation on screen: x is the
// input, h the state, y the output (as in Mamba), k = 1..L with h_0 = 0; S4 and the engine write u for the
// input and x for the state, and count from 0.

export const ssmTex = {
  continuous: String.raw`\begin{aligned} h'(t) &= A\,h(t) + B\,x(t) \\ y(t) &= C\,h(t) + D\,x(t) \end{aligned}`,
  // Two lines, so it fits a 360px phone without scrolling.
  shapes: String.raw`\begin{gathered} A \in \mathbb{R}^{N\times N},\; B \in \mathbb{R}^{N\times 1} \\ C \in \mathbb{R}^{1\times N},\; D \in \mathbb{R} \end{gathered}`,
  zoh: String.raw`\begin{aligned} \bar A &= e^{\Delta A} \\ \bar B &= A^{-1}\left(e^{\Delta A} - I\right) B \end{aligned}`,
  bilinear: String.raw`\begin{aligned} \bar A &= \left(I - \tfrac{\Delta}{2} A\right)^{-1}\left(I + \tfrac{\Delta}{2} A\right) \\ \bar B &= \left(I - \tfrac{\Delta}{2} A\right)^{-1} \Delta B \end{aligned}`,
  // The range under the two rules rather than beside them, so it fits a 360px phone.
  recurrence: String.raw`\begin{gathered} \begin{aligned} h_k &= \bar A\, h_{k-1} + \bar B\, x_k \\ y_k &= C\, h_k + D\, x_k \end{aligned} \\ h_0 = 0,\; k = 1, \dots, L \end{gathered}`,
  kernel: String.raw`\bar K = \left(C\bar B,\; C\bar A\bar B,\; \dots,\; C\bar A^{L-1}\bar B\right)`,
  convolution: String.raw`\begin{aligned} y_k &= \textstyle\sum_{j=0}^{k-1} \bar K_j\, x_{k-j} + D\, x_k \\ y &= \bar K * x + D\, x \end{aligned}`,
  unroll: String.raw`y_k = C\bar A^{k-1}\bar B\, x_1 + \dots + C\bar B\, x_k + D\, x_k`,
  hippo: String.raw`\begin{gathered} A_{nk} = -\begin{cases} \sqrt{(2n+1)(2k+1)} & n > k \\ n+1 & n = k \\ 0 & n < k \end{cases} \\[4pt] B_n = \sqrt{2n+1} \end{gathered}`,
} as const;

export type SsmTexName = keyof typeof ssmTex;
