// Mamba-2 output, after the SSD kernels: out = (y + D x) · silu(z), per element of (batch, T, H, P).
// D is per head (H,) or per channel (H, P); D and z are optional (placeholders when absent).
// One invocation per element: y, x, z read once, out written once.

struct Params {
  count: u32,  // batch·T·H·P
  H: u32,
  P: u32,
  dMode: u32,  // 0: no D, 1: D (H,), 2: D (H, P)
  hasZ: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> x: array<f32>;  // (batch, T, H, P)
@group(0) @binding(3) var<storage, read> D: array<f32>;  // (H,) or (H, P), or a placeholder
@group(0) @binding(4) var<storage, read> z: array<f32>;  // (batch, T, H, P), or a placeholder
@group(0) @binding(5) var<storage, read_write> out: array<f32>;  // (batch, T, H, P)

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let e = (wid.x + wid.y * nwg.x) * WG + lid;
  if (e >= prm.count) {
    return;
  }
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
