// The row reductions of attention/flashAttentionFast.wgsl on subgroups: a row's TC lanes are TC
// consecutive invocations of one subgroup (the program checks the subgroup size is a multiple of TC and
// divides WG), so log2(TC) butterfly shuffles give every lane the row's max or sum; no barrier. Needs
// `enable subgroups`; its twin flashAttentionFastShared.wgsl does the same in workgroup memory.

// The entry point's per-invocation builtins.
struct Lane {
  @builtin(local_invocation_index) tid: u32,
  @builtin(subgroup_invocation_id) sgl: u32,
}

// The subgroup invocation id of the first lane of this lane's row group (cg = tid % TC).
fn rowLane0(lane: Lane, cg: u32) -> u32 {
  return lane.sgl - cg;
}

fn rowMax(x: array<f32, RM>, tid: u32) -> array<f32, RM> {
  var y = x;
  for (var i = 0u; i < RM; i++) {
    for (var off = TC / 2u; off > 0u; off = off >> 1u) {
      y[i] = max(y[i], subgroupShuffleXor(y[i], off));
    }
  }
  return y;
}

fn rowSum(x: array<f32, RM>, tid: u32) -> array<f32, RM> {
  var y = x;
  for (var i = 0u; i < RM; i++) {
    for (var off = TC / 2u; off > 0u; off = off >> 1u) {
      y[i] += subgroupShuffleXor(y[i], off);
    }
  }
  return y;
}
