// The entry point and the workgroup-level affine scan of the "row" scan kernels, through workgroup memory,
// for devices without subgroups: the whole workgroup is one group (lane = local index, size = WG). Same
// contract as affineScanSubgroup.wgsl (read it first); 2·log2(WG) + 2 barriers a call instead of none.

struct AffineScan {
  a: vec4<f32>,
  x: vec4<f32>,
  ea: vec4<f32>,
  ex: vec4<f32>,
}

var<workgroup> scanA: array<vec4<f32>, WG>;  // (WG,) decay part of each lane's pair
var<workgroup> scanX: array<vec4<f32>, WG>;  // (WG,) input part

/** Hillis–Steele over the workgroup. Call it from uniform control flow (it has barriers). */
fn affineScan(a0: vec4<f32>, x0: vec4<f32>, lane: u32, size: u32) -> AffineScan {
  var a = a0;
  var x = x0;
  for (var s = 1u; s < WG; s = s << 1u) {
    scanA[lane] = a;
    scanX[lane] = x;
    workgroupBarrier();
    if (lane >= s) {
      x = a * scanX[lane - s] + x;
      a = a * scanA[lane - s];
    }
    workgroupBarrier();
  }
  scanA[lane] = a;
  scanX[lane] = x;
  workgroupBarrier();
  var ea = vec4<f32>(1.0);
  var ex = vec4<f32>(0.0);
  if (lane > 0u) {
    ea = scanA[lane - 1u];
    ex = scanX[lane - 1u];
  }
  workgroupBarrier();
  return AffineScan(a, x, ea, ex);
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  body(g, li, li, WG);
}
