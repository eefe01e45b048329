// The RWKV-6 recurrence, head-first (B, H, T, ·): each step first reads o_t = s·q_tᵀ (S + diag(u) k_t v_tᵀ),
// then updates S = diag(e^{w_t}) S + k_t v_tᵀ (GLA's state recursion with gk = w; only the readout differs).
// Steps [p.t, p.t + p.C) run in one dispatch: the whole sequence (t = 0, C = T), or one step for the stepper.
// Tiling: one workgroup per (b, h, tile of WG value columns); each invocation owns one column S[:, v] of the
// state (K values) in private memory (registers) for its steps. Blocks of TB steps of q, k and e^{w} are
// loaded once into workgroup memory and shared by the WG columns (u once per workgroup); v and o are read
// and written straight from/to storage, once per element. S is read once (S0, or zeros when !hasS0) and
// written once, in place: S0 in, the state after the last step out.
// The prelude defines KP (= K) and TB (3·TB·KP·4 bytes of workgroup memory); p.perHead = ceil(V / WG).

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> q: array<f32>;  // (B, H, T, K) r
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (B, H, T, K)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (B, H, T, V)
@group(0) @binding(4) var<storage, read> w: array<f32>;  // (B, H, T, K) log decay ≤ 0
@group(0) @binding(5) var<storage, read> u: array<f32>;  // (H, K) bonus of the current token
@group(0) @binding(6) var<storage, read_write> S: array<f32>;  // (B, H, K, V) S0 in, S after the last step out
@group(0) @binding(7) var<storage, read_write> o: array<f32>;  // (B, H, T, V)
@group(0) @binding(8) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

var<workgroup> qs: array<f32, TB * KP>;  // (TB, K)
var<workgroup> ks: array<f32, TB * KP>;  // (TB, K)
var<workgroup> ds: array<f32, TB * KP>;  // (TB, K) e^{w}
var<workgroup> us: array<f32, KP>;  // (K,) u_h

// Entry: common/perWorkgroup.wgsl (workgroupCount() is laCommon's p.count).
fn workgroupMain(lin: u32, lid: u32) {
  let tile = laTile(lin);
  let bh = tile.bh;
  let wg = tile.lin;
  let col = tile.x * WG + lid;
  let live = col < p.V;
  let K = p.K;
  let nCols = min(WG, p.V - tile.x * WG);
  let tEnd = min(p.t + p.C, p.T);
  var St: array<f32, KP>;  // S[:, col]
  let so = bh * K * p.V + col;
  for (var i = 0u; i < K; i++) {
    St[i] = 0.0;
    if (live && p.hasS0 != 0u) {
      St[i] = S[so + i * p.V];
    }
  }
  for (var e = lid; e < K; e += WG) {
    us[e] = u[tile.h * K + e];
  }
  if (lid == 0u) {
    if (p.hasS0 != 0u) {
      traceEvent(TRACE_READ, wg, T_S0, bh * K * p.V + tile.x * WG, K * nCols, K * nCols * 4u, 0u);
    }
    traceEvent(TRACE_LOAD, wg, T_U, tile.h * K, K, K * 4u, 0u);
  }
  for (var t0 = p.t; t0 < tEnd; t0 += TB) {
    let nb = min(TB, tEnd - t0);
    let src0 = (bh * p.T + t0) * K;
    for (var e = lid; e < nb * K; e += WG) {
      qs[e] = q[src0 + e];
      ks[e] = k[src0 + e];
      ds[e] = exp(w[src0 + e]);
    }
    if (lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_Q, src0, nb * K, nb * K * 4u, t0);
      traceEvent(TRACE_LOAD, wg, T_K, src0, nb * K, nb * K * 4u, t0);
      traceEvent(TRACE_LOAD, wg, T_GATE, src0, nb * K, nb * K * 4u, t0);
    }
    workgroupBarrier();
    if (live) {
      for (var tt = 0u; tt < nb; tt++) {
        let row = bh * p.T + t0 + tt;
        let vt = v[row * p.V + col];
        var acc = 0.0;
        for (var i = 0u; i < K; i++) {
          let kv = ks[tt * K + i] * vt;
          acc += qs[tt * K + i] * (St[i] + us[i] * kv);
          St[i] = ds[tt * K + i] * St[i] + kv;
        }
        o[row * p.V + col] = p.scale * acc;
      }
    }
    if (lid == 0u) {
      let first = (bh * p.T + t0) * p.V + tile.x * WG;
      traceEvent(TRACE_READ, wg, T_V, first, nb * nCols, nb * nCols * 4u, t0);
      traceEvent(TRACE_WRITE, wg, T_O, first, nb * nCols, nb * nCols * 4u, t0);
    }
    workgroupBarrier();
  }
  if (live) {
    for (var i = 0u; i < K; i++) {
      S[so + i * p.V] = St[i];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_WRITE, wg, T_FINAL_STATE, bh * K * p.V + tile.x * WG, K * nCols, K * nCols * 4u, 0u);
  }
}
