// FFT convolution, unpacking: y[b, h, l] = Re(spec[b·H + h, l]) / n + D[h] u[b, h, l] for l < L (the
// first L outputs of the inverse transform are the causal convolution). One invocation per output.

struct Params {
  L: u32,
  n: u32,
  rowsU: u32, // B * H
  H: u32,
  rowStride: u32,
  hasD: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> spec: array<vec2<f32>>; // (B·H + H, n) complex
@group(0) @binding(2) var<storage, read> u: array<f32>; // (B, H, L)
@group(0) @binding(3) var<storage, read> D: array<f32>; // (H,)
@group(0) @binding(4) var<storage, read_write> y: array<f32>; // (B, H, L)

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.y * prm.rowStride + gid.x;
  if (t >= prm.rowsU * prm.L) {
    return;
  }
  let row = t / prm.L;
  let l = t % prm.L;
  var v = spec[row * prm.n + l].x / f32(prm.n);
  if (prm.hasD == 1u) {
    v += D[row % prm.H] * u[t];
  }
  y[t] = v;
}
