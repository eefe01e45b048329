// What the two cell steps (rnnStep.wgsl, lstmStep.wgsl) share: their uniform, the inputs and h' bindings,
// the entry, and the pre-activation of one gate row. No workgroup memory: these are the
// one-step-per-dispatch kernels behind the step-by-step views (and torch.nn.RNNCell / LSTMCell).
// Grid: invocation i = n·hidden + j, one per (batch row n, hidden unit j), linear over the folded grid of
// engine/gpu/grid.ts, so any batch fits the 65,535 per-dimension limit and no lane idles for a hidden size
// below WG. Each kernel defines `fn cell(n: u32, j: u32)`, its bindings from 8 and its overrides.
// Each gate row r of W_ih and W_hh is read straight from storage with the rows x_n, h_n (in + hidden reads).
// x is addressed as x[xOff + n·xStride + i], so a time step of a (T, b, in) or (b, T, in) sequence, or the
// layer below's h, is read in place. G below is the gates per unit: 1 for the Elman cell, 4 for the LSTM.

/** x_n starts at x[xOff + n·xStride]. */
struct CellStepParams {
  b: u32,
  inSize: u32,
  hidden: u32,
  xOff: u32,
  xStride: u32,
  hasBih: u32,
  hasBhh: u32,
}

@group(0) @binding(0) var<uniform> p: CellStepParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // rows of in values, see xOff / xStride
@group(0) @binding(2) var<storage, read> h: array<f32>;  // (b, H)
@group(0) @binding(3) var<storage, read> Wih: array<f32>;  // (G·H, in)
@group(0) @binding(4) var<storage, read> Whh: array<f32>;  // (G·H, H)
@group(0) @binding(5) var<storage, read> bih: array<f32>;  // (G·H,)
@group(0) @binding(6) var<storage, read> bhh: array<f32>;  // (G·H,)
@group(0) @binding(7) var<storage, read_write> hOut: array<f32>;  // (b, H)

override WG: u32 = 64u;

/** Gate row r of batch row n before its nonlinearity: b_ih[r] + b_hh[r] + W_ih[r]·x_n + W_hh[r]·h_n. */
fn preActivation(r: u32, n: u32) -> f32 {
  var acc = 0.0;
  if (p.hasBih != 0u) {
    acc += bih[r];
  }
  if (p.hasBhh != 0u) {
    acc += bhh[r];
  }
  let xo = p.xOff + n * p.xStride;
  for (var i = 0u; i < p.inSize; i++) {
    acc += Wih[r * p.inSize + i] * x[xo + i];
  }
  for (var i = 0u; i < p.hidden; i++) {
    acc += Whh[r * p.hidden + i] * h[n * p.hidden + i];
  }
  return acc;
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let i = invocation(g, lid, WG);
  if (i >= p.b * p.hidden) {
    return;
  }
  cell(i / p.hidden, i % p.hidden);
}
