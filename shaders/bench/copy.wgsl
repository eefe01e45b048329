// The bandwidth ceiling and the clock warmer of the benchmark: dst[i] = src[i] as vec4<f32>, a grid-stride
// loop over n4 vectors. Reads and writes every byte once; no workgroup memory.

struct Params {
  n4: u32,
  stride: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4<f32>>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  for (var i = g.x; i < p.n4; i += p.stride) {
    dst[i] = src[i];
  }
}
