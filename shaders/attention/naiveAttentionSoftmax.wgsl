// Naive attention, kernel 2 of 3: P = softmax(S) row by row, and lse. One workgroup of WG invocations
// per row of the slice: invocation t keeps S[row, t + u·WG] (u < PT, a prelude constant) in registers,
// so each S row is read once from storage; the max and the sum are tree reductions in workgroup
// memory (attention/rowReduce.wgsl); P (rows, sk) is written once. A row with no visible key gives P = 0
// and lse = +inf. Row r of the slice is linear workgroup r on a grid folded past 65,535.

@group(0) @binding(1) var<storage, read> S: array<f32>;  // (rows, sk)
@group(0) @binding(2) var<storage, read_write> P: array<f32>;  // (rows, sk)
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let r = linear(wg);  // row of the slice
  if (r >= p.rows) { return; }  // the whole workgroup, before any barrier
  let i = p.i0 + r;
  var s: array<f32, PT>;
  var m = NEG;
  var seen = false;
  for (var u = 0u; u < PT; u++) {
    let j = tid + u * WG;
    s[u] = 0.0;
    if (j < p.sk && visible(i, j)) {
      s[u] = S[r * p.sk + j];
      m = max(m, s[u]);
      seen = true;
    }
  }
  m = reduceMax(tid, m);
  let visibleAny = reduceMax(tid, select(0.0, 1.0, seen)) > 0.0;
  var l = 0.0;
  for (var u = 0u; u < PT; u++) {
    let j = tid + u * WG;
    if (j < p.sk && visible(i, j)) {
      s[u] = exp(s[u] - m);
      l += s[u];
    } else {
      s[u] = 0.0;
    }
  }
  l = reduceSum(tid, l);
  for (var u = 0u; u < PT; u++) {
    let j = tid + u * WG;
    if (j < p.sk) {
      P[r * p.sk + j] = select(0.0, s[u] / l, visibleAny);
    }
  }
  if (tid == 0u) {
    lse[lseAt(p.bi, p.hh, i)] = select(posInf(), m + log(l), visibleAny);
    traceEvent(TRACE_READ, r, T_S, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_WRITE, r, T_P, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_WRITE, r, T_LSE, lseAt(p.bi, p.hh, i), 1u, 4u, 0u);
  }
}
