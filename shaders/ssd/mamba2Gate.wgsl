// Mamba-2 output, after the SSD kernels: out = (y + D x) · silu(z), per element of (batch, T, H, P).
// D is per head (H,) or per channel (H, P); D and z are optional (placeholders when absent).
// One invocation per element (entry: ssd/perElement.wgsl): y, x, z read once, out written once.

struct GateParams {
  count: u32,  // batch·T·H·P
  H: u32,
  P: u32,
  dMode: u32,  // 0: no D, 1: D (H,), 2: D (H, P)
  hasZ: u32,
}

@group(0) @binding(0) var<uniform> prm: GateParams;
@group(0) @binding(1) var<storage, read> y: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> x: array<f32>;  // (batch, T, H, P)
@group(0) @binding(3) var<storage, read> D: array<f32>;  // (H,) or (H, P), or a placeholder
@group(0) @binding(4) var<storage, read> z: array<f32>;  // (batch, T, H, P), or a placeholder
@group(0) @binding(5) var<storage, read_write> out: array<f32>;  // (batch, T, H, P)

fn element(e: u32) {
  let hp = e % (prm.H * prm.P);
  var v = y[e];
  if (prm.dMode == 1u) {
    v += D[hp / prm.P] * x[e];
  } else if (prm.dMode == 2u) {
    v += D[hp] * x[e];
  }
  if (prm.hasZ != 0u) {
    v *= silu(z[e]);
  }
  out[e] = v;
}
