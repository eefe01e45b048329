// One decode step of the depthwise causal conv1d: window = [conv_state (S), x_t]; out = act(bias +
// Σ_w weight[w] · window[S+1-W+w]); new_conv_state = window[1:]. One invocation per row (b, d): it
// reads its S state values and x once, writes S new state values and one output. The grid may be folded
// (engine/gpu/grid.ts); invocations past the rows return.

struct Params {
  rows: u32,
  D: u32,
  W: u32,
  S: u32,
  siluOn: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (batch, D)
@group(0) @binding(2) var<storage, read> convState: array<f32>;  // (batch, D, S)
@group(0) @binding(3) var<storage, read> weight: array<f32>;  // (D, W)
@group(0) @binding(4) var<storage, read> bias: array<f32>;  // (D,)
@group(0) @binding(5) var<storage, read_write> outBuf: array<f32>;  // (batch, D)
@group(0) @binding(6) var<storage, read_write> newState: array<f32>;  // (batch, D, S)

override WG: u32 = 64u;

fn window(row: u32, i: u32) -> f32 {
  if (i < p.S) {
    return convState[row * p.S + i];
  }
  return x[row];
}

// Entry: common/perElement.wgsl, one invocation per element below elements().
fn elements() -> u32 { return p.rows; }

fn element(row: u32) {
  let d = row % p.D;
  var acc = bias[d];
  for (var w = 0u; w < p.W; w++) {
    acc += weight[d * p.W + w] * window(row, p.S + 1u - p.W + w);
  }
  outBuf[row] = select(acc, silu(acc), p.siluOn != 0u);
  for (var i = 0u; i < p.S; i++) {
    newState[row * p.S + i] = window(row, i + 1u);
  }
}
