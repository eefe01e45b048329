// FFT convolution, pointwise product in frequency: spec[b·H + h] *= spec[B·H + h], in place.
// One invocation per element of the u rows; reads two values, writes one.

struct Params {
  n: u32,
  rowsU: u32, // B * H
  H: u32,
  rowStride: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read_write> spec: array<vec2<f32>>; // (B·H + H, n) complex

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.y * prm.rowStride + gid.x;
  if (t >= prm.rowsU * prm.n) {
    return;
  }
  let row = t / prm.n;
  let i = t % prm.n;
  let h = row % prm.H;
  spec[t] = cmul(spec[t], spec[(prm.rowsU + h) * prm.n + i]);
}
