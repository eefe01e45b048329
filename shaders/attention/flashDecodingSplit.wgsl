// FlashDecoding, kernel 1 of 2: each workgroup takes one query row (per head, batch) and one split of
// the KV cache, and computes the partial (m, l, O) of the online softmax over that split alone.
// Traffic: the q row is read once into workgroup memory; the split's K and V rows are read once from
// storage (key j by invocation j % WG for the score, then V by all invocations, one column each);
// scores and probabilities of a chunk of WG keys stay in workgroup memory; the partial is written once:
// m and l (b, h, sq, splits) and the unnormalised O (b, h, sq, splits, d). The prelude sets WG (a power
// of two), D and DPT = ceil(D / WG). p.count = splits·sq·h·b workgroups on a folded grid (common/grid.wgsl).

@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> ml: array<f32>;  // (b, h, sq, splits, 2): m, l
@group(0) @binding(5) var<storage, read_write> oPart: array<f32>;  // (b, h, sq, splits, d)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

var<workgroup> qs: array<f32, D>;  // (d,)
var<workgroup> pw: array<f32, WG>;  // scores, then probabilities, of one chunk of keys

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before any barrier
  let s = wid % p.splits;
  let row = wid / p.splits;  // (b·h + hh)·sq + i
  let at = qRowOf(row);
  let i = at.i;
  let b = at.b;
  let kh = kvHead(at.hh);
  let start = min(p.sk, s * p.splitLen);
  let end = min(p.sk, start + p.splitLen);
  let qo = qAt(b, i, at.hh);
  for (var c = tid; c < D; c += WG) {
    qs[c] = q[qo + c];
  }
  workgroupBarrier();

  var m = NEG;
  var l = 0.0;
  var acc: array<f32, DPT>;
  for (var u = 0u; u < DPT; u++) {
    acc[u] = 0.0;
  }
  for (var j0 = start; j0 < end; j0 += WG) {
    let j = j0 + tid;
    var sc = NEG;
    if (j < end && visible(i, j)) {
      let ko = kvAt(b, j, kh);
      var dot = 0.0;
      for (var c = 0u; c < D; c++) {
        dot += qs[c] * k[ko + c];
      }
      sc = p.scale * dot;
    }
    let mNew = max(m, reduceMax(tid, sc));
    let mUse = select(mNew, 0.0, mNew <= NEG_HALF);
    let alpha = exp(m - mUse);  // 0 while nothing was visible (m = NEG)
    let e = select(exp(sc - mUse), 0.0, sc <= NEG_HALF);
    pw[tid] = e;
    l = alpha * l + reduceSum(tid, e);
    m = mNew;
    let n = min(WG, end - j0);
    for (var u = 0u; u < DPT; u++) {
      let c = tid + u * WG;
      if (c < D) {
        var pv = 0.0;
        for (var jj = 0u; jj < n; jj++) {
          pv += pw[jj] * v[kvAt(b, j0 + jj, kh) + c];
        }
        acc[u] = alpha * acc[u] + pv;
      }
    }
    workgroupBarrier();
  }

  let part = row * p.splits + s;
  for (var u = 0u; u < DPT; u++) {
    let c = tid + u * WG;
    if (c < D) {
      oPart[part * D + c] = acc[u];
    }
  }
  if (tid == 0u) {
    ml[part * 2u] = m;
    ml[part * 2u + 1u] = l;
    let keys = end - start;
    traceEvent(TRACE_LOAD, wid, T_Q, qo, D, D * 4u, s);
    traceEvent(TRACE_READ, wid, T_K, kvAt(b, start, kh), keys * D, keys * D * 4u, s);
    traceEvent(TRACE_READ, wid, T_V, kvAt(b, start, kh), keys * D, keys * D * 4u, s);
    traceEvent(TRACE_WRITE, wid, T_PARTIALS, part, D + 2u, (D + 2u) * 4u, s);
  }
}
