// Naive attention, kernel 3 of 3: O = P V for one slice. One workgroup per query row: the P row is
// read once from storage in chunks of WG values into workgroup memory; invocation c accumulates
// O[c] = Σ_j P[j]·V[j, c] reading V straight from storage (all of V per query row: the naive cost);
// O is written once. Row r of the slice is linear workgroup r on a grid folded past 65,535.

@group(0) @binding(1) var<storage, read> P: array<f32>;  // (rows, sk)
@group(0) @binding(2) var<storage, read> v: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read_write> o: array<f32>;  // (b, sq, h, d)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

var<workgroup> Pc: array<f32, WG>;  // one chunk of the P row; the prelude sets WG and DPT = ceil(d / WG)

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let r = linear(wg);  // row of the slice
  if (r >= p.rows) { return; }  // the whole workgroup, before any barrier
  let kh = kvHead(p.hh);
  var acc: array<f32, DPT>;
  for (var u = 0u; u < DPT; u++) {
    acc[u] = 0.0;
  }
  for (var j0 = 0u; j0 < p.sk; j0 += WG) {
    let j = j0 + tid;
    Pc[tid] = select(0.0, P[r * p.sk + min(j, p.sk - 1u)], j < p.sk);
    workgroupBarrier();
    let n = min(WG, p.sk - j0);
    for (var u = 0u; u < DPT; u++) {
      let c = tid + u * WG;
      if (c < p.d) {
        var s = 0.0;
        for (var jj = 0u; jj < n; jj++) {
          s += Pc[jj] * v[kvAt(p.bi, j0 + jj, kh) + c];
        }
        acc[u] += s;
      }
    }
    workgroupBarrier();
  }
  let i = p.i0 + r;
  for (var u = 0u; u < DPT; u++) {
    let c = tid + u * WG;
    if (c < p.d) {
      o[qAt(p.bi, i, p.hh) + c] = acc[u];
    }
  }
  if (tid == 0u) {
    traceEvent(TRACE_LOAD, r, T_P, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_READ, r, T_V, kvAt(p.bi, 0u, kh), p.sk * p.d, p.sk * p.d * 4u, 0u);
    traceEvent(TRACE_WRITE, r, T_O, qAt(p.bi, i, p.hh), p.d, p.d * 4u, 0u);
  }
}
