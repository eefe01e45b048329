// The cell of an LSTM layer's scan (rnn/layerScan.wgsl, which walks the T steps): gates = P_t + h_{t−1}
// W_hhᵀ (4H, order i, f, g, o), then c_t = σ(f)∘c_{t−1} + σ(i)∘tanh(g), h_t = σ(o)∘tanh(c_t); P = x W_ihᵀ +
// b_ih + b_hh from rnnInputProj.wgsl. The invocation that owns unit j computes all four gates of it (rows
// j, H + j, 2H + j, 3H + j of W_hhᵀ (H, 4H)), so c_j stays in its registers; the four gate sums are
// independent, so four W_hhᵀ loads are in flight at once. c0 is read once and c_n written once, at
// bindings 4 and 7. Saturating gates are safe: sigmoidSafe/tanhSafe (rnnCommon.wgsl) never overflow exp.
// Trace: the scan's, with TRACE_LOAD c0 (hidden values, zero when absent) and TRACE_STORE cN (hidden
// values), aux = layer: T + 6 events per workgroup. Tensor ids: LSTM_TRACE in engine/programs/rnn/lstm.ts.

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
@group(0) @binding(4) var<storage, read> c0: array<f32>;  // (layers, b, H)
@group(0) @binding(7) var<storage, read_write> cN: array<f32>;  // (layers, b, H)

const GATES: u32 = 4u;

fn unit(row: u32, j: u32, c: f32) -> vec2<f32> {
  let Hd = p.hidden;
  let R = GATES * Hd;
  let pr = row * R + j;
  var a = vec4<f32>(P[pr], P[pr + Hd], P[pr + 2u * Hd], P[pr + 3u * Hd]);
  for (var i = 0u; i < Hd; i++) {
    let w = i * R + j;
    a += vec4<f32>(WhhT[w], WhhT[w + Hd], WhhT[w + 2u * Hd], WhhT[w + 3u * Hd]) * hs[i];
  }
  let u = lstmUnit(a, c);
  return vec2<f32>(u.h, u.c);
}

fn cellIn(at: u32) -> f32 {
  if (p.hasC0 == 0u) {
    return 0.0;
  }
  return c0[at];
}

fn cellOut(at: u32, c: f32) {
  cN[at] = c;
}

fn traceCell(kind: u32, wg: u32, hb: u32) {
  let Hd = p.hidden;
  if (kind == TRACE_LOAD) {
    traceEvent(TRACE_LOAD, wg, T_C0, hb, Hd * p.hasC0, 4u * Hd * p.hasC0, p.layer);
  } else {
    traceEvent(TRACE_STORE, wg, T_C_N, hb, Hd, 4u * Hd, p.layer);
  }
}
