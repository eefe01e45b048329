// Test kernel for engine/gpu/plumbing.test.ts: dst[i] = src[i] * scale + add for i < n. One workgroup.

struct Params {
  n: u32,
  add: u32,
  scale: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i < p.n) {
    dst[i] = src[i] * p.scale + p.add;
  }
}
