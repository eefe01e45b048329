// The sequential half of an LSTM layer: gates = P_t + h_{t−1} W_hhᵀ (4H, order i, f, g, o), then
// c_t = σ(f)∘c_{t−1} + σ(i)∘tanh(g), h_t = σ(o)∘tanh(c_t); P = x W_ihᵀ + b_ih + b_hh from rnnInputProj.wgsl.
// Tiling: one workgroup per batch element n (linear id n, folded by engine/gpu/grid.ts past 65,535) loops
// over all T steps; h_{t−1} (hidden values) lives in workgroup memory for the whole sequence, c in the
// registers of the invocation that owns its unit: each invocation owns NJ hidden units j and computes all
// four gates of each (rows j, H + j, 2H + j, 3H + j), so c_j never leaves it. W_hh is stored transposed,
// (H, 4H), so neighbouring invocations read neighbouring addresses in each of the four gate blocks; the
// four gate sums are independent, so four W_hhᵀ loads are in flight at once. W_hh (4H² values) is the one
// large read at every step. P is read once, h_t written once per step (the layer's output), h0 and c0
// read once, h_n and c_n written once. Saturating gates are safe: sigmoidSafe/tanhSafe (rnnCommon.wgsl)
// never overflow exp.
// WG is whole warps covering hidden, at most 256 (scanWg). The prelude defines HP (= hidden) and NJ
// (= ceil(hidden / WG)).
// Trace (TRACE on), per workgroup n (id wgBase + n), T + 6 events: TRACE_LOAD h0 and c0 (hidden values
// each, zero when absent; aux = layer), then ONE event per step t: TRACE_READ WhhT (4·hidden² values,
// aux = t; the step's P in and h out are summed after the loop), then TRACE_READ P (T·4·hidden),
// TRACE_WRITE out (T·hidden), TRACE_STORE hN and cN (hidden each), aux = layer. Tensor ids: LSTM_TRACE in
// engine/programs/rnn/lstm.ts.

struct Params {
  T: u32,
  b: u32,
  hidden: u32,
  batchFirst: u32,
  hasH0: u32,
  hasC0: u32,
  layer: u32,
  wgBase: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> P: array<f32>;  // (T, b, 4H)
@group(0) @binding(2) var<storage, read> WhhT: array<f32>;  // (H, 4H) W_hhᵀ: [i, r] = W_hh[r, i]
@group(0) @binding(3) var<storage, read> h0: array<f32>;  // (layers, b, H)
@group(0) @binding(4) var<storage, read> c0: array<f32>;  // (layers, b, H)
@group(0) @binding(5) var<storage, read_write> out: array<f32>;  // (T, b, H) or (b, T, H)
@group(0) @binding(6) var<storage, read_write> hN: array<f32>;  // (layers, b, H)
@group(0) @binding(7) var<storage, read_write> cN: array<f32>;  // (layers, b, H)
@group(0) @binding(8) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 256u;

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
  let R = 4u * Hd;
  let hb = (p.layer * p.b + n) * Hd;
  var cs: array<f32, NJ>;  // c_{t−1} of the units this invocation owns
  var next: array<f32, NJ>;
  for (var m = 0u; m < NJ; m++) {
    let j = lid + m * WG;
    cs[m] = 0.0;
    if (j < Hd) {
      hs[j] = 0.0;
      if (p.hasH0 != 0u) {
        hs[j] = h0[hb + j];
      }
      if (p.hasC0 != 0u) {
        cs[m] = c0[hb + j];
      }
    }
  }
  workgroupBarrier();
  let wg = p.wgBase + n;
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_LOAD, wg, T_H0, hb, Hd * p.hasH0, 4u * Hd * p.hasH0, p.layer);
    traceEvent(TRACE_LOAD, wg, T_C0, hb, Hd * p.hasC0, 4u * Hd * p.hasC0, p.layer);
  }
  for (var t = 0u; t < p.T; t++) {
    let row = t * p.b + n;
    if (TRACE && lid == 0u) {
      traceEvent(TRACE_READ, wg, T_WHH_T, 0u, R * Hd, 4u * R * Hd, t);
    }
    for (var m = 0u; m < NJ; m++) {
      let j = lid + m * WG;
      if (j < Hd) {
        let pr = row * R + j;
        var a = vec4<f32>(P[pr], P[pr + Hd], P[pr + 2u * Hd], P[pr + 3u * Hd]);
        for (var i = 0u; i < Hd; i++) {
          let w = i * R + j;
          a += vec4<f32>(WhhT[w], WhhT[w + Hd], WhhT[w + 2u * Hd], WhhT[w + 3u * Hd]) * hs[i];
        }
        let u = lstmUnit(a, cs[m]);
        cs[m] = u.c;
        next[m] = u.h;
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
      cN[hb + j] = cs[m];
    }
  }
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_READ, wg, T_P, n * R, p.T * R, 4u * p.T * R, p.layer);
    traceEvent(TRACE_WRITE, wg, T_OUT, n * Hd, p.T * Hd, 4u * p.T * Hd, p.layer);
    traceEvent(TRACE_STORE, wg, T_H_N, hb, Hd, 4u * Hd, p.layer);
    traceEvent(TRACE_STORE, wg, T_C_N, hb, Hd, 4u * Hd, p.layer);
  }
}
