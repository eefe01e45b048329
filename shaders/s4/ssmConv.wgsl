// Direct causal convolution, S4 convention: y[b,h,k] = sum_{j=0..k} K[h,j] * u[b,h,k-j].
// One invocation per output element; K and u are read straight from storage (L reads each), y is
// written once. O(L^2) work: the baseline the FFT convolution is compared against.

struct Params {
  B: u32,
  H: u32,
  L: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> K: array<f32>;  // (H, L)
@group(0) @binding(2) var<storage, read> u: array<f32>;  // (B, H, L)
@group(0) @binding(3) var<storage, read_write> y: array<f32>;  // (B, H, L)

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x;
  let bh = gid.y;
  if (k >= p.L || bh >= p.B * p.H) {
    return;
  }
  let h = bh % p.H;
  let uo = bh * p.L;
  let ko = h * p.L;
  var s = 0.0;
  for (var j = 0u; j <= k; j++) {
    s += K[ko + j] * u[uo + k - j];
  }
  y[uo + k] = s;
}
