// The attention stage's named TeX snippets, shared by the prose and the diagrams. On screen tokens and
// heads count from 1 (i, j = 1..L); X is the (L, D) embedding of the sentence, D = h·d.

export const attentionTex = {
  projections: String.raw`Q = X W_Q^{\top},\quad K = X W_K^{\top},\quad V = X W_V^{\top}`,
  shapes: String.raw`X \in \mathbb{R}^{L\times D},\; Q \in \mathbb{R}^{L\times h d},\; K, V \in \mathbb{R}^{L\times h_k d}`,
  scores: String.raw`S = \frac{Q K^{\top}}{\sqrt{d}}`,
  mask: String.raw`S_{ij} = -\infty \quad (j > i)`,
  softmax: String.raw`P_{ij} = \frac{e^{S_{ij}}}{\sum_{j'} e^{S_{ij'}}}`,
  output: 'O = P V',
  memory: String.raw`\lvert S \rvert = \lvert P \rvert = 4 L^2 \ \mathrm{B}`,
  gqa: String.raw`g(i) = \left\lceil \frac{i \, h_k}{h} \right\rceil \quad (i = 1, \dots, h)`,
  decode: String.raw`o_t = \sum_{j \le t} \operatorname{softmax}_j\!\left(\frac{q_t k_j^{\top}}{\sqrt{d}}\right) v_j`,
  cost: String.raw`c_t \propto t, \qquad \sum_{t=1}^{N} c_t \propto \frac{N(N+1)}{2}`,
} as const;

export type AttentionTexName = keyof typeof attentionTex;
