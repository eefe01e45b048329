// The cell of an Elman layer's scan (rnn/layerScan.wgsl, which walks the T steps): h_t = act(P_t +
// h_{t−1} W_hhᵀ), P from rnnInputProj.wgsl, act = tanh or relu. Each invocation reads its units' columns of
// W_hhᵀ (hidden, hidden) from storage every step, unrolled by 4. The Elman cell has no state beyond h:
// nothing at bindings 4 and 7, c stays 0 and has no records (T + 4 trace events per workgroup).
// Tensor ids: ELMAN_TRACE in engine/programs/rnn/elmanRnn.ts.

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

override RELU: bool = false;
const GATES: u32 = 1u;

fn unit(row: u32, j: u32, c: f32) -> vec2<f32> {
  let Hd = p.hidden;
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
  return vec2<f32>(elmanAct((a0 + a1) + (a2 + a3), RELU), c);
}

fn cellIn(at: u32) -> f32 {
  return 0.0;
}

fn cellOut(at: u32, c: f32) {}

fn traceCell(kind: u32, wg: u32, hb: u32) {}
