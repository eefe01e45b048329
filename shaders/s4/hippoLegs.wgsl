// HiPPO-LegS: fills A (N,N) and B (N,) from the closed form. One invocation per entry of A (the grid is
// folded into x and y so N^2 may exceed 65535 workgroups); reads nothing, writes each entry once.

struct Params {
  N: u32,
  rowStride: u32, // invocations per grid row (workgroups in x times WG)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> A: array<f32>; // (N, N)
@group(0) @binding(2) var<storage, read_write> B: array<f32>; // (N,)

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let idx = gid.y * p.rowStride + gid.x;
  if (idx >= p.N * p.N) {
    return;
  }
  let n = idx / p.N;
  let k = idx % p.N;
  var a = 0.0;
  if (n == k) {
    a = -f32(n + 1u);
  } else if (n > k) {
    a = -sqrt(f32(2u * n + 1u) * f32(2u * k + 1u));
  }
  A[idx] = a;
  if (k == 0u) {
    B[n] = sqrt(f32(2u * n + 1u));
  }
}
