// The race's named TeX snippets: compulsory traffic (attention's, as the example), the bandwidth a row
// reaches on it, its fraction of the copy ceiling, and where two curves cross on log-log axes.

export const raceTex = {
  traffic: String.raw`T_{\text{attn}}(L) = 4\,\bigl(2\,L h d + 2\,L h_k d + h L\bigr)\ \text{B}`,
  bandwidth: String.raw`\text{GB/s} = \frac{T(L)}{t(L)}, \qquad \phi = \frac{T(L)/t(L)}{2S/t_{\text{copy}}}`,
  crossover: String.raw`\log L^{*} = \log L_i + \frac{r_i}{r_i - r_{i+1}}\,\bigl(\log L_{i+1} - \log L_i\bigr),\quad r = \log\frac{t_b}{t_a}`,
  T: 'T(L)',
  phi: String.raw`\phi`,
} as const;
