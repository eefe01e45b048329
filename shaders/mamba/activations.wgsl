// Elementwise torch activations, one invocation per value: MODE 0 softplus (returns x above 20), 1 silu,
// 2 inv_softplus(y) = y + log(−expm1(−y)) (the dt_bias initialisation). Reads each value once, writes once;
// no workgroup memory. The grid may be folded (engine/gpu/grid.ts); invocations past n return.

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (n,)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // (n,)

override WG: u32 = 64u;
override MODE: u32 = 0u;

// Entry: common/perElement.wgsl, one invocation per element below elements().
fn elements() -> u32 { return p.n; }

fn element(i: u32) {
  let v = x[i];
  if (MODE == 0u) {
    y[i] = softplus(v);
  } else if (MODE == 1u) {
    y[i] = silu(v);
  } else {
    y[i] = v + log(-expm1f(-v));
  }
}
