// The per-head reductions of attention/flashDecodingFast.wgsl in workgroup memory, for devices without one
// fixed subgroup size (and for tests): a tree over the WG invocations (WG a power of two), all G heads per
// level, log2(WG) + 2 barriers; every invocation gets the results. Without subgroups a key has one lane
// (LPK = 1, the program sees to it), so laneSum is the identity. Its twin is flashDecodingFastSg.wgsl.
// Call from uniform control flow only.

var<workgroup> red: array<f32, G * WG>;  // (G, WG) one value per head and invocation

fn headsReduce(x: array<f32, G>, tid: u32, isMax: bool) -> array<f32, G> {
  for (var g = 0u; g < G; g++) {
    red[g * WG + tid] = x[g];
  }
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      for (var g = 0u; g < G; g++) {
        let a = red[g * WG + tid];
        let b = red[g * WG + tid + stride];
        red[g * WG + tid] = select(a + b, max(a, b), isMax);
      }
    }
    workgroupBarrier();
  }
  var r: array<f32, G>;
  for (var g = 0u; g < G; g++) {
    r[g] = red[g * WG];
  }
  workgroupBarrier();
  return r;
}

fn headsMax(x: array<f32, G>, tid: u32) -> array<f32, G> {
  return headsReduce(x, tid, true);
}

fn headsSum(x: array<f32, G>, tid: u32) -> array<f32, G> {
  return headsReduce(x, tid, false);
}

fn laneSum(x: array<f32, G>) -> array<f32, G> {
  return x;
}
