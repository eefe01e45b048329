// Naive attention, kernel 2 of 3: P = softmax(S) row by row, and lse. One workgroup of WG invocations
// per row of the slice: invocation t keeps S[row, t + u·WG] (u < PT, a prelude constant) in registers,
// so each S row is read once from storage; the max and the sum are tree reductions in workgroup
// memory; P (rows, sk) is written once. A row with no visible key gives P = 0 and lse = +inf.

@group(0) @binding(0) var<uniform> p: Slice;
@group(0) @binding(1) var<storage, read> S: array<f32>;  // (rows, sk)
@group(0) @binding(2) var<storage, read_write> P: array<f32>;  // (rows, sk)
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

var<workgroup> red: array<f32, WG>;

fn reduce(tid: u32, x: f32, isMax: bool) -> f32 {
  red[tid] = x;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      let a = red[tid];
      let b = red[tid + stride];
      red[tid] = select(a + b, max(a, b), isMax);
    }
    workgroupBarrier();
  }
  let out = red[0];
  workgroupBarrier();
  return out;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let r = wid.x;
  if (r >= p.rows) {
    return;
  }
  let i = p.i0 + r;
  var s: array<f32, PT>;
  var m = -3.0e38;
  var seen = false;
  for (var u = 0u; u < PT; u++) {
    let j = tid + u * WG;
    s[u] = 0.0;
    if (j < p.sk && naiveVisible(p, i, j)) {
      s[u] = S[r * p.sk + j];
      m = max(m, s[u]);
      seen = true;
    }
  }
  m = reduce(tid, m, true);
  let visibleAny = reduce(tid, select(0.0, 1.0, seen), true) > 0.0;
  var l = 0.0;
  for (var u = 0u; u < PT; u++) {
    let j = tid + u * WG;
    if (j < p.sk && naiveVisible(p, i, j)) {
      s[u] = exp(s[u] - m);
      l += s[u];
    } else {
      s[u] = 0.0;
    }
  }
  l = reduce(tid, l, false);
  for (var u = 0u; u < PT; u++) {
    let j = tid + u * WG;
    if (j < p.sk) {
      P[r * p.sk + j] = select(0.0, s[u] / l, visibleAny);
    }
  }
  if (tid == 0u) {
    lse[(p.bi * p.h + p.hh) * p.sq + i] = select(p.inf, m + log(l), visibleAny);
    traceEvent(TRACE_READ, wid.x, T_S, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_WRITE, wid.x, T_P, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_WRITE, wid.x, T_LSE, (p.bi * p.h + p.hh) * p.sq + i, 1u, 4u, 0u);
  }
}
