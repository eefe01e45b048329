// Workgroup-wide max and sum of one f32 per invocation, by a tree in workgroup memory (WG, a power of
// two, set by the kernel's prelude). Every invocation of the workgroup must call them (they hold barriers)
// and gets the result. Shared by the naive softmax and FlashDecoding's split kernel.

var<workgroup> red: array<f32, WG>;

fn reduceRow(tid: u32, x: f32, isMax: bool) -> f32 {
  red[tid] = x;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      let a = red[tid];
      let b = red[tid + stride];
      red[tid] = select(a + b, max(a, b), isMax);
    }
    workgroupBarrier();
  }
  let out = red[0];
  workgroupBarrier();
  return out;
}

fn reduceMax(tid: u32, x: f32) -> f32 {
  return reduceRow(tid, x, true);
}

fn reduceSum(tid: u32, x: f32) -> f32 {
  return reduceRow(tid, x, false);
}
