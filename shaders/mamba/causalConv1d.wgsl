// Depthwise causal conv1d of the Mamba block (Dao-AILab causal_conv1d): cross-correlation, so
// weight[d, W-1] multiplies x[t]: out[t] = act(bias + Σ_w weight[d, w] · x[t - (W-1) + w]).
// Tiling: one workgroup per (row b·D + d, tile of WG positions) loads the tile's inputs plus its W-1
// predecessors once into workgroup memory (times < 0 come from initial_states, or are 0); each input
// is then read W times from there, never again from storage. The W weights and the bias are read per
// invocation (cache). out is written once. Positions L .. L+W-2 of the last tiles write final_states,
// the last W-1 inputs of the row.
// Trace (TRACE on), per workgroup (row, tile t0 = WG·tile), S = W-1, in order: TRACE_LOAD x (positions
// [max(0, t0-S), min(L, t0+WG)) of the row into sX), TRACE_LOAD initialStates (the S - t0 halo positions
// before 0, when given), TRACE_READ weight (W per output) and TRACE_READ bias (1 per output), TRACE_WRITE
// out (the n = min(WG, L - t0) outputs, from registers), TRACE_STORE finalStates (positions of the tile in
// [L, L+S), copied from sX). offset: first element touched; aux: tile index. Tensor ids (T_*): generated
// from CONV1D_TRACE in engine/programs/mamba/causalConv1d.ts. The (row, tile) grid may be folded
// (engine/gpu/grid.ts): workgroups past rows · tiles return at once, the whole workgroup together.

struct Params {
  batch: u32,
  D: u32,
  L: u32,
  hasInit: u32,
  siluOn: u32,
  tiles: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (batch, D, L)
@group(0) @binding(2) var<storage, read> weight: array<f32>;  // (D, W)
@group(0) @binding(3) var<storage, read> bias: array<f32>;  // (D,)
@group(0) @binding(4) var<storage, read> initialStates: array<f32>;  // (batch, D, W-1)
@group(0) @binding(5) var<storage, read_write> outBuf: array<f32>;  // (batch, D, L)
@group(0) @binding(6) var<storage, read_write> finalStates: array<f32>;  // (batch, D, W-1)
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;
override W: u32 = 4u;

var<workgroup> sX: array<f32, WG + W - 1u>;  // (WG + W - 1,) inputs t0-(W-1) .. t0+WG-1

fn input(row: u32, s: i32) -> f32 {
  if (s >= i32(p.L)) {
    return 0.0;
  }
  if (s >= 0) {
    return x[row * p.L + u32(s)];
  }
  if (p.hasInit == 0u) {
    return 0.0;
  }
  return initialStates[row * (W - 1u) + u32(i32(W - 1u) + s)];
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let lin = linear(g);
  let row = lin / p.tiles;
  if (row >= p.batch * p.D) {
    return;
  }
  let t0 = (lin % p.tiles) * WG;
  let S = W - 1u;
  for (var i = li; i < WG + S; i += WG) {
    sX[i] = input(row, i32(t0 + i) - i32(S));
  }
  workgroupBarrier();
  let t = t0 + li;
  let d = row % p.D;
  if (t < p.L) {
    var acc = bias[d];
    for (var w = 0u; w < W; w++) {
      acc += weight[d * W + w] * sX[li + w];
    }
    outBuf[row * p.L + t] = select(acc, silu(acc), p.siluOn != 0u);
  } else if (t < p.L + S) {
    // final_states[j] = input at L - S + j = t - S, which sits at sX[li].
    finalStates[row * S + (t - p.L)] = sX[li];
  }
  if (TRACE && li == 0u) {
    traceTile(lin, row, t0);
  }
}

fn span(a: u32, b: u32) -> u32 {
  return select(0u, b - a, b > a);
}

fn traceTile(wg: u32, row: u32, t0: u32) {
  let S = W - 1u;
  let tile = t0 / WG;
  let xa = select(0u, t0 - S, t0 > S);
  let nx = span(xa, min(p.L, t0 + WG));
  traceEvent(TRACE_LOAD, wg, T_X, row * p.L + xa, nx, 4u * nx, tile);
  let ni = span(t0, S) * p.hasInit;
  traceEvent(TRACE_LOAD, wg, T_INITIAL_STATES, row * S + t0, ni, 4u * ni, tile);
  let n = span(t0, min(t0 + WG, p.L));
  let d = row % p.D;
  traceEvent(TRACE_READ, wg, T_WEIGHT, d * W, W * n, 4u * W * n, tile);
  traceEvent(TRACE_READ, wg, T_BIAS, d, n, 4u * n, tile);
  traceEvent(TRACE_WRITE, wg, T_OUT, row * p.L + t0, n, 4u * n, tile);
  let fa = max(t0, p.L);
  let nf = span(fa, min(t0 + WG, p.L + S));
  traceEvent(TRACE_STORE, wg, T_FINAL_STATES, row * S + fa - p.L, nf, 4u * nf, tile);
}
