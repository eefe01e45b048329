// The bandwidth ceiling and the clock warmer of the benchmark: dst[i] = src[i] as vec4<f32>. Each
// invocation loads ITEMS vectors `stride` apart (all in flight before the first store), stores them, and
// moves on by ITEMS·stride: with count·WG·ITEMS ≥ n4 that is one pass, with fewer workgroups a grid-stride
// loop. Reads and writes every byte once; no workgroup memory. ITEMS comes in a prelude (an array length).
// Needs common/grid.wgsl (the grid may be folded past 65,535 workgroups).

struct Params {
  n4: u32,
  /** Invocations in the grid: count · WG. */
  stride: u32,
  /** Workgroups wanted; the fold's overshoot returns at once. */
  count: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4<f32>>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  if (linear(g) >= p.count) {
    return;
  }
  for (var i = invocation(g, lid, WG); i < p.n4; i += ITEMS * p.stride) {
    var v: array<vec4<f32>, ITEMS>;
    for (var k = 0u; k < ITEMS; k++) {
      let j = i + k * p.stride;
      if (j < p.n4) {
        v[k] = src[j];
      }
    }
    for (var k = 0u; k < ITEMS; k++) {
      let j = i + k * p.stride;
      if (j < p.n4) {
        dst[j] = v[k];
      }
    }
  }
}
