// Direct causal convolution, S4 convention: y[b,h,k] = sum_{j=0..k} K[h,j] * u[b,h,k-j].
// One invocation per output element, one workgroup per (block of WG positions k, row b·H + h). K and u are
// read straight from storage (k + 1 reads each for output k, no workgroup memory), y is written once.
// O(L^2) work: the baseline the FFT convolution is compared against.
// Trace (TRACE on), per workgroup covering k in [k0, k1): TRACE_READ K and TRACE_READ u with count
// Σ_{k0 ≤ k < k1} (k + 1) = (k1(k1+1) − k0(k0+1))/2 (offset: first element of the row), then TRACE_WRITE y
// (k1 − k0 values). Tensor ids: SSM_CONV_TENSORS in engine/programs/ssmConv.ts.

struct Params {
  B: u32,
  H: u32,
  L: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> K: array<f32>;  // (H, L)
@group(0) @binding(2) var<storage, read> u: array<f32>;  // (B, H, L)
@group(0) @binding(3) var<storage, read_write> y: array<f32>;  // (B, H, L)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
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
  if (TRACE && lid == 0u) {
    // k == k0 here: the first position of the block always exists.
    let k1 = min(k + WG, p.L);
    let reads = (k1 * (k1 + 1u) - k * (k + 1u)) / 2u;
    let wg = wid.x + wid.y * nwg.x;
    traceEvent(TRACE_READ, wg, 0u, ko, reads, 4u * reads, 0u);
    traceEvent(TRACE_READ, wg, 1u, uo, reads, 4u * reads, 0u);
    traceEvent(TRACE_WRITE, wg, 2u, uo + k, k1 - k, 4u * (k1 - k), 0u);
  }
}
