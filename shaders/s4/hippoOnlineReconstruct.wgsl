// HiPPO-LegS online: the reconstruction of the whole history from one row c of the coefficients,
// rec[j] = Σ_n sqrt(2n+1)·P_n(x_j)·c[n], x_j = 2·j/(L−1) − 1 (oldest sample first; x = −1 when L = 1),
// one invocation per sample over a folded grid, the Legendre polynomials by the three-term recurrence
// (n+1)·P_{n+1} = (2n+1)·x·P_n − n·P_{n−1}. c (N floats at coefficients[at..]) is read by every invocation
// (one cached row); rec is written once. Needs common/trace.wgsl, common/grid.wgsl.

struct Params {
  N: u32,
  L: u32, // samples
  at: u32, // first float of c in coefficients
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> coefficients: array<f32>; // (rows, N)
@group(0) @binding(2) var<storage, read_write> reconstruction: array<f32>; // (L,)
@group(0) @binding(3) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let wg = linear(g);
  if (wg * WG >= p.L) {
    return;
  }
  if (lid == 0u) {
    let count = min(WG, p.L - wg * WG);
    traceEvent(TRACE_LOAD, wg, T_COEFFICIENTS, p.at, p.N, 4u * p.N, 0u);
    traceEvent(TRACE_STORE, wg, T_RECONSTRUCTION, wg * WG, count, 4u * count, 0u);
  }
  let j = invocation(g, lid, WG);
  if (j >= p.L) {
    return;
  }
  var x = -1.0;
  if (p.L > 1u) {
    x = f32(2u * j) / f32(p.L - 1u) - 1.0;
  }
  var prev = 0.0;
  var cur = 1.0;
  var acc = 0.0;
  for (var n = 0u; n < p.N; n++) {
    acc += sqrt(f32(2u * n + 1u)) * cur * coefficients[p.at + n];
    let next = (f32(2u * n + 1u) * x * cur - f32(n) * prev) / f32(n + 1u);
    prev = cur;
    cur = next;
  }
  reconstruction[j] = acc;
}
