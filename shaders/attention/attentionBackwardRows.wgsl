// Plain attention backward, kernel 1 of 2 per slice (batch p.bi, query head p.hh, query rows
// [p.i0, p.i0 + p.rows)): one workgroup per query row i of the slice recomputes the whole row
// P_ij = exp(scale·q_i·k_j − lse_i) (0 where masked, and on the whole row when lse_i = +inf, so a fully
// masked row gives exactly 0, never NaN), dP_ij = dO_i·v_j and dS_ij = P_ij (dP_ij − delta_i), and writes
// P and dS (rows, sk): the materialised reference form. After a storage barrier the same workgroup forms
// dQ_i = scale Σ_j dS_ij k_j and writes it once. q, dO rows are read sk times (from storage, no tiling);
// k, v once per query row. Row r of the slice is linear workgroup r on a grid folded past 65,535.

// q, k, v, dout, lse, delta at 1 … 6: attention/backwardInputs.wgsl
@group(0) @binding(7) var<storage, read_write> P: array<f32>;  // (rows, sk)
@group(0) @binding(8) var<storage, read_write> dS: array<f32>;  // (rows, sk)
@group(0) @binding(9) var<storage, read_write> dq: array<f32>;  // (b, sq, h, d)
@group(0) @binding(10) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.rows; }

fn workgroupMain(r: u32, tid: u32) {
  let i = p.i0 + r;
  let qo = qAt(p.bi, i, p.hh);
  let kh = kvHead(p.hh);
  let li = lseAt(p.bi, p.hh, i);
  let l = lse[li];
  let live = (bitcast<u32>(l) & p.infBits) != p.infBits;  // lse = +inf: no visible key
  let dl = delta[li];
  for (var j = tid; j < p.sk; j += WG) {
    var pj = 0.0;
    var ds = 0.0;
    if (live && visible(i, j)) {
      let ko = kvAt(p.bi, j, kh);
      var s = 0.0;
      var dp = 0.0;
      for (var c = 0u; c < p.d; c++) {
        s += q[qo + c] * k[ko + c];
        dp += dout[qo + c] * v[ko + c];
      }
      pj = exp(p.scale * s - l);
      ds = pj * (dp - dl);
    }
    P[r * p.sk + j] = pj;
    dS[r * p.sk + j] = ds;
  }
  storageBarrier();
  for (var c = tid; c < p.d; c += WG) {
    var acc = 0.0;
    for (var j = 0u; j < p.sk; j++) {
      acc += dS[r * p.sk + j] * k[kvAt(p.bi, j, kh) + c];
    }
    dq[qo + c] = p.scale * acc;
  }
  if (tid == 0u) {
    let tw = p.wg0 + r;
    let n = p.sk * p.d;
    traceEvent(TRACE_READ, tw, T_LSE, li, 1u, 4u, 0u);
    traceEvent(TRACE_READ, tw, T_K, kvAt(p.bi, 0u, kh), n, n * 4u, 0u);
    traceEvent(TRACE_READ, tw, T_V, kvAt(p.bi, 0u, kh), n, n * 4u, 0u);
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, i, p.sk, 0u, PHASE_RECOMPUTE_P);
    traceEvent(TRACE_WRITE, tw, T_P, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, i, p.sk, 0u, PHASE_D_S);
    traceEvent(TRACE_WRITE, tw, T_D_S, r * p.sk, p.sk, p.sk * 4u, 0u);
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, i, p.d, 0u, PHASE_D_Q);
    traceEvent(TRACE_WRITE, tw, T_DQ, qo, p.d, p.d * 4u, 0u);
  }
}
