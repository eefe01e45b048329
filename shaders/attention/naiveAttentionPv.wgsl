// Naive attention, kernel 3 of 3: O = P V for one slice. One workgroup per query row: the P row is
// read once from storage in chunks of WG values into workgroup memory; invocation c accumulates
// O[c] = Σ_j P[j]·V[j, c] reading V straight from storage (all of V per query row: the naive cost);
// O is written once.

@group(0) @binding(0) var<uniform> p: Slice;
@group(0) @binding(1) var<storage, read> P: array<f32>;  // (rows, sk)
@group(0) @binding(2) var<storage, read> v: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read_write> o: array<f32>;  // (b, sq, h, d)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

var<workgroup> Pc: array<f32, WG>;  // one chunk of the P row; the prelude sets WG and DPT = ceil(d / WG)

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let r = wid.x;
  if (r >= p.rows) {
    return;
  }
  let kh = kvHead(p);
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
          s += Pc[jj] * v[((p.bi * p.sk + j0 + jj) * p.hk + kh) * p.d + c];
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
      o[((p.bi * p.sq + i) * p.h + p.hh) * p.d + c] = acc[u];
    }
  }
  if (tid == 0u) {
    traceEvent(TRACE_LOAD, wid.x, T_P, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_READ, wid.x, T_V, (p.bi * p.sk * p.hk + kh) * p.d, p.sk * p.d, p.sk * p.d * 4u, 0u);
    traceEvent(TRACE_WRITE, wid.x, T_O, ((p.bi * p.sq + i) * p.h + p.hh) * p.d, p.d, p.d * 4u, 0u);
  }
}
