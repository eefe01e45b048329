// FlashAttention-2 forward. One workgroup per (Q tile of Br rows, head, batch): p.count = tr·h·b of them on
// a grid folded past 65,535 (common/grid.wgsl); the linear id is also the trace's workgroup id.
// Traffic: the Q tile is read once into workgroup memory; each visible K/V tile of Bc rows is read
// once per Q tile into workgroup memory (causal tiles entirely above the diagonal are never read);
// S and P stay in workgroup memory; O accumulates unnormalised in registers, is divided by l once
// and written once; lse is written once. Sequence lengths need not be multiples of Br or Bc.
// Trace (TRACE override): Q load, K and V loads per tile (aux = tile), compute phases per tile
// (aux = phase id: scores, rescale, PV), one skip event (count = skipped tiles), O and lse stores.

@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> o: array<f32>;  // (b, sq, h, d)
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before any barrier
  var at: TileAt;
  at.wg = wid;
  at.r0 = (wid % p.tr) * BR;
  at.hh = (wid / p.tr) % p.h;
  at.b = wid / (p.tr * p.h);
  at.kh = kvHead(at.hh);
  at.rows = min(BR, p.sq - at.r0);
  for (var r = tid; r < BR; r += WG) {
    mRow[r] = NEG;
    lRow[r] = 0.0;
  }
  loadQTile(tid, at);
  var acc: array<f32, OPT>;  // zero-initialised
  workgroupBarrier();

  let tiles = visibleTiles(at);
  if (tid == 0u) {
    let tc = (p.sk + BC - 1u) / BC;
    traceEvent(TRACE_COMPUTE, at.wg, NO_TENSOR, tiles, tc - tiles, 0u, PHASE_SKIP);
  }
  for (var t = 0u; t < tiles; t++) {
    tileStep(tid, at, t, &acc);
  }

  for (var u = 0u; u < OPT; u++) {
    let e = slot(tid, u);
    if (e.x < at.rows) {
      let l = lRow[e.x];
      o[qAt(at.b, at.r0 + e.x, at.hh) + e.y] = select(acc[u] / l, 0.0, l == 0.0);
    }
  }
  for (var r = tid; r < at.rows; r += WG) {
    let l = lRow[r];
    let m = select(mRow[r], 0.0, mRow[r] <= NEG_HALF);
    lse[lseAt(at.b, at.hh, at.r0 + r)] = select(m + log(l), posInf(), l == 0.0);
  }
  if (tid == 0u) {
    traceEvent(TRACE_COMPUTE, at.wg, NO_TENSOR, 0u, at.rows * D, 0u, PHASE_NORMALISE);
    traceEvent(TRACE_STORE, at.wg, T_O, qAt(at.b, at.r0, at.hh), at.rows * D, at.rows * D * 4u, 0u);
    traceEvent(TRACE_STORE, at.wg, T_LSE, lseAt(at.b, at.hh, at.r0), at.rows, at.rows * 4u, 0u);
  }
}
