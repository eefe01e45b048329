// The row reductions of attention/flashAttentionFast.wgsl in workgroup memory, for devices without a
// suitable subgroup size: each lane leaves its RM values in Ps (free until P is written), and every lane
// reads its rows' TC values back. Three barriers: Ps's last readers done, the values written, the values
// read (before P overwrites them). Called from uniform control flow only; its twin is
// flashAttentionFastSg.wgsl.

// The entry point's per-invocation builtins (no subgroups here: rowLane0 is unused).
struct Lane {
  @builtin(local_invocation_index) tid: u32,
}

fn rowLane0(lane: Lane, cg: u32) -> u32 {
  return 0u;
}

fn rowReduceShared(x: array<f32, RM>, tid: u32, isMax: bool) -> array<f32, RM> {
  let rg = tid / TC;
  let cg = tid % TC;
  workgroupBarrier();
  for (var i = 0u; i < RM; i++) {
    let w = (rg * RM + i) * TC + cg;
    Ps[w / 4u][w % 4u] = x[i];
  }
  workgroupBarrier();
  var y: array<f32, RM>;
  for (var i = 0u; i < RM; i++) {
    let w0 = (rg * RM + i) * TC;
    var r = Ps[w0 / 4u][w0 % 4u];
    for (var c = 1u; c < TC; c++) {
      let x = Ps[(w0 + c) / 4u][(w0 + c) % 4u];
      r = select(r + x, max(r, x), isMax);
    }
    y[i] = r;
  }
  workgroupBarrier();
  return y;
}

fn rowMax(x: array<f32, RM>, tid: u32) -> array<f32, RM> {
  return rowReduceShared(x, tid, true);
}

fn rowSum(x: array<f32, RM>, tid: u32) -> array<f32, RM> {
  return rowReduceShared(x, tid, false);
}
