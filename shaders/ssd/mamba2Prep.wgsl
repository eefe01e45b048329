// Mamba-2 discretization, ahead of the SSD kernels: per (batch, t, head)
//   Δ' = softplus(Δ + dt_bias) (torch threshold 20; bias and softplus optional), A·Δ', X = x·Δ'.
// One invocation per (batch, t, head) (entry: ssd/perElement.wgsl); x is read once and X written once,
// P values each.

struct PrepParams {
  count: u32,  // batch·T·H
  H: u32,
  P: u32,
  hasBias: u32,
  softplusOn: u32,
}

@group(0) @binding(0) var<uniform> prm: PrepParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> dt: array<f32>;  // (batch, T, H)
@group(0) @binding(3) var<storage, read> Ahead: array<f32>;  // (H,)
@group(0) @binding(4) var<storage, read> dtBias: array<f32>;  // (H,), or a placeholder
@group(0) @binding(5) var<storage, read_write> X: array<f32>;  // (batch, T, H, P) x·Δ'
@group(0) @binding(6) var<storage, read_write> Adt: array<f32>;  // (batch, T, H) A·Δ'
@group(0) @binding(7) var<storage, read_write> dtOut: array<f32>;  // (batch, T, H) Δ'

fn element(e: u32) {
  let hh = e % prm.H;
  var d = dt[e];
  if (prm.hasBias != 0u) {
    d += dtBias[hh];
  }
  if (prm.softplusOn != 0u) {
    d = softplus(d);
  }
  dtOut[e] = d;
  Adt[e] = Ahead[hh] * d;
  for (var p = 0u; p < prm.P; p++) {
    X[e * prm.P + p] = x[e * prm.P + p] * d;
  }
}
