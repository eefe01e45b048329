// FlashAttention-2, one K/V tile per dispatch, for the step-by-step stage. One workgroup runs tile t
// of the chosen Q tile: the running state (m, l per row; unnormalised O) comes from storage, goes
// through the same inner step as the forward kernel (attention/flashTile.wgsl: K_t and V_t loaded into
// workgroup memory, scores, online softmax, O ← alpha·O + P V), and goes back to storage together with
// the tile's P, so the host can read the live values after every step.

@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> ml: array<f32>;  // (Br, 2): m (−3e38 = −inf), l
@group(0) @binding(5) var<storage, read_write> oAcc: array<f32>;  // (Br, d) unnormalised O
@group(0) @binding(6) var<storage, read_write> pTile: array<f32>;  // (Br, Bc) P of this step
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) tid: u32) {
  var at: TileAt;
  at.wg = 0u;
  at.b = p.bi;
  at.hh = p.hh;
  at.kh = kvHead(p.hh);
  at.r0 = p.i0;
  at.rows = min(BR, p.sq - at.r0);
  for (var r = tid; r < BR; r += WG) {
    mRow[r] = select(ml[2u * r], NEG, p.first == 1u);
    lRow[r] = select(ml[2u * r + 1u], 0.0, p.first == 1u);
  }
  loadQTile(tid, at);
  var acc: array<f32, OPT>;
  for (var u = 0u; u < OPT; u++) {
    let idx = tid + u * WG;
    acc[u] = 0.0;
    if (p.first == 0u && idx < BR * D) {
      acc[u] = oAcc[idx];
    }
  }
  workgroupBarrier();
  tileStep(tid, at, p.t, &acc);
  for (var u = 0u; u < OPT; u++) {
    let idx = tid + u * WG;
    if (idx < BR * D) {
      oAcc[idx] = acc[u];
    }
  }
  for (var r = tid; r < BR; r += WG) {
    ml[2u * r] = mRow[r];
    ml[2u * r + 1u] = lRow[r];
  }
  for (var idx = tid; idx < BR * BC; idx += WG) {
    pTile[idx] = Ss[(idx / BC) * SS + idx % BC];
  }
}
