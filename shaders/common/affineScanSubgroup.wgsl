// The entry point and the workgroup-level affine scan of the "row" scan kernels, through subgroup shuffles.
// Needs `enable subgroups` (KernelSpec.enable) and the kernel's own `fn body(g: Workgroups, li: u32, lane: u32,
// size: u32)` and `override WG: u32`. Its twin affineScanShared.wgsl does the same with workgroup memory
// for devices without subgroups; a kernel lists exactly one of the two in its sources.
// A pair (a, x) stands for h ↦ a·h + x; four independent states travel as the lanes of a vec4. Composing
// p = (a₁, x₁) first and q = (a₂, x₂) second gives (a₂a₁, a₂x₁ + x₂).

struct AffineScan {
  /** Inclusive: this lane's pair composed after every earlier lane's of its group. */
  a: vec4<f32>,
  x: vec4<f32>,
  /** Exclusive: the earlier lanes' composition alone (the identity (1, 0) for lane 0). */
  ea: vec4<f32>,
  ex: vec4<f32>,
}

/** Hillis–Steele over the subgroup: log2(size) shuffle levels, no barrier. `size` must be uniform. */
fn affineScan(a0: vec4<f32>, x0: vec4<f32>, lane: u32, size: u32) -> AffineScan {
  var a = a0;
  var x = x0;
  for (var s = 1u; s < size; s = s << 1u) {
    let ap = subgroupShuffleUp(a, s);
    let xp = subgroupShuffleUp(x, s);
    if (lane >= s) {
      x = a * xp + x;
      a = a * ap;
    }
  }
  var ea = subgroupShuffleUp(a, 1u);
  var ex = subgroupShuffleUp(x, 1u);
  if (lane == 0u) {
    ea = vec4<f32>(1.0);
    ex = vec4<f32>(0.0);
  }
  return AffineScan(a, x, ea, ex);
}

@compute @workgroup_size(WG)
fn main(
  g: Workgroups,
  @builtin(local_invocation_index) li: u32,
  @builtin(subgroup_invocation_id) lane: u32,
  @builtin(subgroup_size) size: u32,
) {
  body(g, li, lane, size);
}
