// The sequential half of an Elman layer: h_t = act(P_t + h_{t−1} W_hhᵀ), P from rnnInputProj.wgsl.
// Tiling: one workgroup per batch element n (linear id n, folded by engine/gpu/grid.ts past 65,535) loops
// over all T steps; h_{t−1} (hidden values) lives in workgroup memory for the whole sequence, each
// invocation owns NJ hidden units and reads their columns of W_hhᵀ from storage every step; W_hh is
// stored transposed so neighbouring invocations read neighbouring addresses (coalesced). It is the one
// large read at every step (from L2 at hidden ≤ ~2000).
// P is read once, h_t written once per step (the layer's output), h0 read once and h_n written once.
// WG is whole warps covering hidden, at most 256 (elmanScanWg). The prelude defines HP (= hidden) and NJ
// (= ceil(hidden / WG)).
// Trace (TRACE on), per workgroup n (id wgBase + n), compact so that T = 1000 stays small: TRACE_LOAD h0
// (hidden values into hs, when given; aux = layer), then ONE event per step t: TRACE_READ WhhT (hidden²
// values, aux = t; the step's other traffic, hidden values of P in and of out, is summed in the events
// after the loop), then TRACE_READ P and TRACE_WRITE out (T·hidden values each), TRACE_STORE hN (hidden
// values from hs), aux = layer. Tensor ids: ELMAN_TRACE in engine/programs/rnn/elmanRnn.ts.

struct Params {
  T: u32,
  b: u32,
  hidden: u32,
  batchFirst: u32,
  hasH0: u32,
  layer: u32,
  wgBase: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> P: array<f32>;  // (T, b, hidden)
@group(0) @binding(2) var<storage, read> WhhT: array<f32>;  // (hidden, hidden) W_hhᵀ: [i, j] = W_hh[j, i]
@group(0) @binding(3) var<storage, read> h0: array<f32>;  // (layers, b, hidden)
@group(0) @binding(4) var<storage, read_write> out: array<f32>;  // (T, b, hidden) or (b, T, hidden)
@group(0) @binding(5) var<storage, read_write> hN: array<f32>;  // (layers, b, hidden)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 256u;
override RELU: bool = false;

var<workgroup> hs: array<f32, HP>;  // h_{t−1}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  // One workgroup per batch element (the grid's count is b): the whole workgroup returns together.
  let n = linearWorkgroup(wid, nwg);
  if (n >= p.b) {
    return;
  }
  let Hd = p.hidden;
  let hb = (p.layer * p.b + n) * Hd;
  for (var j = lid; j < Hd; j += WG) {
    hs[j] = 0.0;
    if (p.hasH0 != 0u) {
      hs[j] = h0[hb + j];
    }
  }
  workgroupBarrier();
  let wg = p.wgBase + n;
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_LOAD, wg, T_H0, hb, Hd * p.hasH0, 4u * Hd * p.hasH0, p.layer);
  }
  var next: array<f32, NJ>;
  for (var t = 0u; t < p.T; t++) {
    let row = t * p.b + n;
    if (TRACE && lid == 0u) {
      traceEvent(TRACE_READ, wg, T_WHH_T, 0u, Hd * Hd, 4u * Hd * Hd, t);
    }
    for (var m = 0u; m < NJ; m++) {
      let j = lid + m * WG;
      if (j < Hd) {
        // Unrolled by 4 with independent sums, so several W_hhᵀ loads are in flight at once.
        var a0 = P[row * Hd + j];
        var a1 = 0.0;
        var a2 = 0.0;
        var a3 = 0.0;
        var i = 0u;
        for (; i + 4u <= Hd; i += 4u) {
          a0 += WhhT[i * Hd + j] * hs[i];
          a1 += WhhT[(i + 1u) * Hd + j] * hs[i + 1u];
          a2 += WhhT[(i + 2u) * Hd + j] * hs[i + 2u];
          a3 += WhhT[(i + 3u) * Hd + j] * hs[i + 3u];
        }
        for (; i < Hd; i++) {
          a0 += WhhT[i * Hd + j] * hs[i];
        }
        next[m] = elmanAct((a0 + a1) + (a2 + a3), RELU);
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
  for (var j = lid; j < Hd; j += WG) {
    hN[hb + j] = hs[j];
  }
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_READ, wg, T_P, n * Hd, p.T * Hd, 4u * p.T * Hd, p.layer);
    traceEvent(TRACE_WRITE, wg, T_OUT, n * Hd, p.T * Hd, 4u * p.T * Hd, p.layer);
    traceEvent(TRACE_STORE, wg, T_H_N, hb, Hd, 4u * Hd, p.layer);
  }
}
