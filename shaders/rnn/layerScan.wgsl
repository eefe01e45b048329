// The sequential half of a recurrent layer, the scan of engine/programs/rnn/layerChain.ts, for the cells
// of elmanRnn.wgsl and lstm.wgsl: h_t = cell(P_t + h_{t−1} W_hhᵀ), with P (GATES·hidden columns, the gates'
// input part) from rnnInputProj.wgsl.
// Tiling: one workgroup per batch element n (linear id n, folded by engine/gpu/grid.ts past 65,535) loops
// over all T steps; h_{t−1} (hidden values) lives in workgroup memory for the whole sequence, the cell's
// own state (the LSTM's c) in the registers of the invocation that owns its unit: each invocation owns NJ
// hidden units j = lid + m·WG, so c_j never leaves it. W_hh is stored transposed, (hidden, GATES·hidden),
// so neighbouring invocations read neighbouring addresses; it is the one large read at every step (from
// L2 at hidden ≤ ~2000). P is read once, h_t written once per step (the layer's output), the initial
// states read once and the final ones written once.
// WG is whole warps covering hidden, at most 256 (scanWg). The prelude defines HP (= hidden) and NJ
// (= ceil(hidden / WG)). The cell's kernel declares `p` (its Params: T, b, hidden, batchFirst, hasH0,
// layer, wgBase and its own), its own state in and out at bindings 4 and 7 (where it has one), GATES, and
//   fn unit(row: u32, j: u32, c: f32) -> vec2<f32>  (h_t[j], c_t[j]) from row t·b + n of P and hs = h_{t−1}
//   fn cellIn(at: u32) -> f32, fn cellOut(at: u32, c: f32)  its state of unit at = (layer·b + n)·hidden + j
//   fn traceCell(kind: u32, wg: u32, hb: u32)  the record of those (TRACE_LOAD after h0's, TRACE_STORE after hN's)
// Trace (TRACE on), per workgroup n (id wgBase + n), compact so that T = 1000 stays small: TRACE_LOAD h0
// (hidden values into hs, zero when absent; aux = layer) and the cell's, then ONE event per step t:
// TRACE_READ WhhT (GATES·hidden² values, aux = t; the step's other traffic, P in and h out, is summed in
// the events after the loop), then TRACE_READ P (T·GATES·hidden values), TRACE_WRITE out (T·hidden),
// TRACE_STORE hN (hidden values from hs) and the cell's, aux = layer.

@group(0) @binding(1) var<storage, read> P: array<f32>;  // (T, b, GATES·hidden)
@group(0) @binding(2) var<storage, read> WhhT: array<f32>;  // (hidden, GATES·hidden) W_hhᵀ: [i, r] = W_hh[r, i]
@group(0) @binding(3) var<storage, read> h0: array<f32>;  // (layers, b, hidden)
@group(0) @binding(5) var<storage, read_write> out: array<f32>;  // (T, b, hidden) or (b, T, hidden)
@group(0) @binding(6) var<storage, read_write> hN: array<f32>;  // (layers, b, hidden)
@group(0) @binding(8) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 256u;

var<workgroup> hs: array<f32, HP>;  // h_{t−1}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  // One workgroup per batch element (the grid's count is b): the whole workgroup returns together.
  let n = linear(g);
  if (n >= p.b) {
    return;
  }
  let Hd = p.hidden;
  let R = GATES * Hd;
  let hb = (p.layer * p.b + n) * Hd;
  var cs: array<f32, NJ>;  // the cell state of the units this invocation owns
  var next: array<f32, NJ>;
  for (var m = 0u; m < NJ; m++) {
    let j = lid + m * WG;
    if (j < Hd) {
      hs[j] = 0.0;
      if (p.hasH0 != 0u) {
        hs[j] = h0[hb + j];
      }
      cs[m] = cellIn(hb + j);
    }
  }
  workgroupBarrier();
  let wg = p.wgBase + n;
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_LOAD, wg, T_H0, hb, Hd * p.hasH0, 4u * Hd * p.hasH0, p.layer);
    traceCell(TRACE_LOAD, wg, hb);
  }
  for (var t = 0u; t < p.T; t++) {
    let row = t * p.b + n;
    if (TRACE && lid == 0u) {
      traceEvent(TRACE_READ, wg, T_WHH_T, 0u, R * Hd, 4u * R * Hd, t);
    }
    for (var m = 0u; m < NJ; m++) {
      let j = lid + m * WG;
      if (j < Hd) {
        let u = unit(row, j, cs[m]);
        next[m] = u.x;
        cs[m] = u.y;
      }
    }
    workgroupBarrier();
    let dst = seqOffset(t, n, p.T, p.b, Hd, p.batchFirst);
    for (var m = 0u; m < NJ; m++) {
      let j = lid + m * WG;
      if (j < Hd) {
        hs[j] = next[m];
        out[dst + j] = next[m];
      }
    }
    workgroupBarrier();
  }
  for (var m = 0u; m < NJ; m++) {
    let j = lid + m * WG;
    if (j < Hd) {
      hN[hb + j] = hs[j];
      cellOut(hb + j, cs[m]);
    }
  }
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_READ, wg, T_P, n * R, p.T * R, 4u * p.T * R, p.layer);
    traceEvent(TRACE_WRITE, wg, T_OUT, n * Hd, p.T * Hd, 4u * p.T * Hd, p.layer);
    traceEvent(TRACE_STORE, wg, T_H_N, hb, Hd, 4u * Hd, p.layer);
    traceCell(TRACE_STORE, wg, hb);
  }
}
