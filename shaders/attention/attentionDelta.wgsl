// Attention backward, the preprocess (FlashAttention-2's dot_do_o): delta_i = rowsum(dO_i ∘ O_i) =
// Σ_c dout[i, c]·o[i, c] for every query row. It equals rowsum(P_i ∘ dP_i), so no softmax Jacobian is
// ever built. One invocation per row of (b, h, sq) (lse's order), WG a workgroup, on a grid folded past
// 65,535 (common/grid.wgsl): each O and dO row is read once straight into registers, delta is written
// once. A fully masked row has O = 0, hence delta = 0. Trace (TRACE override): per workgroup, reads of
// o and dout and the write of delta (offset = first row, in lse's order), one compute event (delta).

@group(0) @binding(1) var<storage, read> o: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> dout: array<f32>;  // (b, sq, h, d)
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;  // (b, h, sq)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.count; }

fn workgroupMain(w: u32, tid: u32) {
  let rows = p.b * p.h * p.sq;
  let row0 = w * WG;
  if (tid == 0u) {
    let n = min(WG, rows - row0);
    let tw = p.wg0 + w;
    traceEvent(TRACE_READ, tw, T_O, row0, n * p.d, n * p.d * 4u, 0u);
    traceEvent(TRACE_READ, tw, T_DOUT, row0, n * p.d, n * p.d * 4u, 0u);
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, row0, n, 0u, PHASE_DELTA);
    traceEvent(TRACE_WRITE, tw, T_DELTA, row0, n, n * 4u, 0u);
  }
  let row = row0 + tid;
  if (row >= rows) { return; }
  let at = qRowOf(row);
  let o0 = qAt(at.b, at.i, at.hh);
  var acc = 0.0;
  for (var c = 0u; c < p.d; c++) {
    acc += dout[o0 + c] * o[o0 + c];
  }
  delta[row] = acc;
}
