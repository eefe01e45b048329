// One LSTM cell step for a batch (torch.nn.LSTMCell): gates = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh (4H, order
// i, f, g, o); c' = σ(f)∘c + σ(i)∘tanh(g); h' = σ(o)∘tanh(c'). Writes h', c' and the four activated gates.
// One invocation per (batch row n, hidden unit j): it reads rows j, H + j, 2H + j, 3H + j of W_ih and W_hh
// and the rows x_n, h_n straight from storage (4·(in + hidden) weight reads), keeps the four sums side by
// side and writes h'[n, j], c'[n, j] and the four gates of unit j once. No workgroup memory: this is the
// one-step-per-dispatch kernel behind the LSTM's step-by-step view.
// Grid: invocation i = n·hidden + j (linear over the folded grid of engine/gpu/grid.ts), so any batch fits
// the 65,535 per-dimension limit and no lane idles for a hidden size below WG.
// x is addressed as x[xOff + n·xStride + i], so a time step of a (T, b, in) or (b, T, in) sequence, or the
// layer below's h, is read in place.

@group(0) @binding(0) var<uniform> p: CellStepParams;  // rnnCommon.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;  // rows of in values, see xOff / xStride
@group(0) @binding(2) var<storage, read> h: array<f32>;  // (b, H)
@group(0) @binding(3) var<storage, read> c: array<f32>;  // (b, H)
@group(0) @binding(4) var<storage, read> Wih: array<f32>;  // (4H, in)
@group(0) @binding(5) var<storage, read> Whh: array<f32>;  // (4H, H)
@group(0) @binding(6) var<storage, read> bih: array<f32>;  // (4H,)
@group(0) @binding(7) var<storage, read> bhh: array<f32>;  // (4H,)
@group(0) @binding(8) var<storage, read_write> hOut: array<f32>;  // (b, H)
@group(0) @binding(9) var<storage, read_write> cOut: array<f32>;  // (b, H)
@group(0) @binding(10) var<storage, read_write> gates: array<f32>;  // (b, 4H) activated i, f, g, o

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let e = linearInvocation(wid, nwg, lid, WG);
  if (e >= p.b * p.hidden) {
    return;
  }
  let Hd = p.hidden;
  let n = e / Hd;
  let j = e % Hd;
  let rows = vec4<u32>(j, Hd + j, 2u * Hd + j, 3u * Hd + j);
  var a = vec4<f32>(0.0);
  if (p.hasBih != 0u) {
    a += vec4<f32>(bih[rows.x], bih[rows.y], bih[rows.z], bih[rows.w]);
  }
  if (p.hasBhh != 0u) {
    a += vec4<f32>(bhh[rows.x], bhh[rows.y], bhh[rows.z], bhh[rows.w]);
  }
  let xo = p.xOff + n * p.xStride;
  let I = p.inSize;
  for (var i = 0u; i < I; i++) {
    let w = vec4<f32>(Wih[rows.x * I + i], Wih[rows.y * I + i], Wih[rows.z * I + i], Wih[rows.w * I + i]);
    a += w * x[xo + i];
  }
  for (var i = 0u; i < Hd; i++) {
    let w = vec4<f32>(Whh[rows.x * Hd + i], Whh[rows.y * Hd + i], Whh[rows.z * Hd + i], Whh[rows.w * Hd + i]);
    a += w * h[n * Hd + i];
  }
  let u = lstmUnit(a, c[n * Hd + j]);
  hOut[n * Hd + j] = u.h;
  cOut[n * Hd + j] = u.c;
  let g = n * 4u * Hd + j;
  gates[g] = u.gates.x;
  gates[g + Hd] = u.gates.y;
  gates[g + 2u * Hd] = u.gates.z;
  gates[g + 3u * Hd] = u.gates.w;
}
