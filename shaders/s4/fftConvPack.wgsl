// FFT convolution, packing: rows (B·H) of u then rows (H) of K, each zero-padded from L to n, as complex
// rows of spec (rows, n). One invocation per output element; u and K read once, spec written once.

struct Params {
  L: u32,
  n: u32,
  rowsU: u32, // B * H
  H: u32,
  rowStride: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> u: array<f32>; // (B, H, L)
@group(0) @binding(2) var<storage, read> K: array<f32>; // (H, L)
@group(0) @binding(3) var<storage, read_write> spec: array<vec2<f32>>; // (B·H + H, n) complex

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.y * prm.rowStride + gid.x;
  if (t >= (prm.rowsU + prm.H) * prm.n) {
    return;
  }
  let row = t / prm.n;
  let l = t % prm.n;
  var v = 0.0;
  if (l < prm.L) {
    if (row < prm.rowsU) {
      v = u[row * prm.L + l];
    } else {
      v = K[(row - prm.rowsU) * prm.L + l];
    }
  }
  spec[t] = vec2<f32>(v, 0.0);
}
