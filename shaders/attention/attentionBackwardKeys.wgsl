// Plain attention backward, kernel 2 of 2 per slice: one invocation per (key j, column c) forms the
// slice's share of dK[j, c] = scale Σ_r dS[r, j] q[i0 + r, c] and dV[j, c] = Σ_r P[r, j] dO[i0 + r, c]
// (the scale is in dK, not in dV) from the materialised P and dS of kernel 1, and adds it to dk, dv of
// the slice's kv head (p.first = 1: the first slice of that head's group writes instead), so GQA sums
// over the group's query heads and the slices. Each P, dS entry is read d times; WG invocations a
// workgroup on a grid folded past 65,535.

@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> dout: array<f32>;  // (b, sq, h, d)
@group(0) @binding(3) var<storage, read> P: array<f32>;  // (rows, sk)
@group(0) @binding(4) var<storage, read> dS: array<f32>;  // (rows, sk)
@group(0) @binding(5) var<storage, read_write> dk: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(6) var<storage, read_write> dv: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.count; }

fn workgroupMain(w: u32, tid: u32) {
  let n = p.sk * p.d;
  if (tid == 0u) {
    let j0 = (w * WG) / p.d;
    let keys = (min(n, (w + 1u) * WG) - 1u) / p.d - j0 + 1u;
    let tw = p.wg0 + w;
    traceEvent(TRACE_READ, tw, T_P, j0, p.rows * keys, p.rows * keys * 4u, 0u);
    traceEvent(TRACE_READ, tw, T_D_S, j0, p.rows * keys, p.rows * keys * 4u, 0u);
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, j0, keys, 0u, PHASE_D_V);
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, j0, keys, 0u, PHASE_D_K);
  }
  let idx = w * WG + tid;
  if (idx >= n) { return; }
  let j = idx / p.d;
  let c = idx % p.d;
  var gk = 0.0;
  var gv = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    let qo = qAt(p.bi, p.i0 + r, p.hh) + c;
    gk += dS[r * p.sk + j] * q[qo];
    gv += P[r * p.sk + j] * dout[qo];
  }
  let ko = kvAt(p.bi, j, kvHead(p.hh)) + c;
  let keep = p.first == 0u;
  dk[ko] = select(0.0, dk[ko], keep) + p.scale * gk;
  dv[ko] = select(0.0, dv[ko], keep) + gv;
}
