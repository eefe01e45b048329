// HiPPO-LegS: fills A (N,N) and B (N,) from the closed form. One invocation per entry of A (the grid is
// folded by gridForInvocations so N^2 may exceed 65535 workgroups); reads nothing, writes each entry once.
// Needs common/grid.wgsl.

struct Params {
  N: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> A: array<f32>; // (N, N)
@group(0) @binding(2) var<storage, read_write> B: array<f32>; // (N,)

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let idx = invocation(g, lid, WG);
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
