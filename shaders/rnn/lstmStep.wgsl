// One LSTM cell step for a batch (torch.nn.LSTMCell): gates = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh (4H, order
// i, f, g, o); c' = σ(f)∘c + σ(i)∘tanh(g); h' = σ(o)∘tanh(c'). Writes h', c' and the four activated gates.
// One invocation per (batch row n, hidden unit j): it forms rows j, H + j, 2H + j, 3H + j of the gates from
// W_ih, W_hh and the rows x_n, h_n straight from storage (4·(in + hidden) weight reads), so c_j never
// leaves it, and writes h'[n, j], c'[n, j] and the four gates of unit j once. The uniform, the bindings
// 0..7 (W_ih (4H, in), W_hh (4H, H), biases (4H,)), the grid and the entry: rnn/cellStep.wgsl.

@group(0) @binding(8) var<storage, read> c: array<f32>;  // (b, H)
@group(0) @binding(9) var<storage, read_write> cOut: array<f32>;  // (b, H)
@group(0) @binding(10) var<storage, read_write> gates: array<f32>;  // (b, 4H) activated i, f, g, o

fn cell(n: u32, j: u32) {
  let Hd = p.hidden;
  let pre = vec4<f32>(
    preActivation(j, n),
    preActivation(Hd + j, n),
    preActivation(2u * Hd + j, n),
    preActivation(3u * Hd + j, n),
  );
  let u = lstmUnit(pre, c[n * Hd + j]);
  hOut[n * Hd + j] = u.h;
  cOut[n * Hd + j] = u.c;
  let row = n * 4u * Hd + j;
  gates[row] = u.gates.x;
  gates[row + Hd] = u.gates.y;
  gates[row + 2u * Hd] = u.gates.z;
  gates[row + 3u * Hd] = u.gates.w;
}
