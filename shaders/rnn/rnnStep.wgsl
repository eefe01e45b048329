// One Elman RNN cell step for a batch: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act = tanh or relu.
// One invocation per (batch row n, hidden unit j): it reads row j of W_ih and W_hh and the rows x_n, h_n
// straight from storage (in + hidden reads each) and writes h'[n, j] once. No workgroup memory: this is the
// one-step-per-dispatch kernel behind the step-by-step view and torch.nn.RNNCell.
// Grid: invocation i = n·hidden + j (linear over the folded grid of engine/gpu/grid.ts), so any batch fits
// the 65,535 per-dimension limit and no lane idles for a hidden size below WG.
// x is addressed as x[xOff + n·xStride + i], so a time step of a (T, b, in) or (b, T, in) sequence, or the
// layer below's h, can be read in place.

@group(0) @binding(0) var<uniform> p: CellStepParams;  // rnnCommon.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;  // rows of in values, see xOff / xStride
@group(0) @binding(2) var<storage, read> h: array<f32>;  // (b, hidden)
@group(0) @binding(3) var<storage, read> Wih: array<f32>;  // (hidden, in)
@group(0) @binding(4) var<storage, read> Whh: array<f32>;  // (hidden, hidden)
@group(0) @binding(5) var<storage, read> bih: array<f32>;  // (hidden,)
@group(0) @binding(6) var<storage, read> bhh: array<f32>;  // (hidden,)
@group(0) @binding(7) var<storage, read_write> hOut: array<f32>;  // (b, hidden)

override WG: u32 = 64u;
override RELU: bool = false;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let i = linearInvocation(wid, nwg, lid, WG);
  if (i >= p.b * p.hidden) {
    return;
  }
  let n = i / p.hidden;
  let j = i % p.hidden;
  var acc = 0.0;
  if (p.hasBih != 0u) {
    acc += bih[j];
  }
  if (p.hasBhh != 0u) {
    acc += bhh[j];
  }
  let xo = p.xOff + n * p.xStride;
  for (var i = 0u; i < p.inSize; i++) {
    acc += Wih[j * p.inSize + i] * x[xo + i];
  }
  for (var i = 0u; i < p.hidden; i++) {
    acc += Whh[j * p.hidden + i] * h[n * p.hidden + i];
  }
  hOut[n * p.hidden + j] = elmanAct(acc, RELU);
}
