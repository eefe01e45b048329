// The entry point of an elementwise kernel: one invocation per element over a grid that engine/gpu/grid.ts
// (gridForInvocations) may have folded into (x, y, z); the fold's spare invocations return at once. Functions
// only, no bindings. The kernel declares WG (an override or a prelude constant), lists common/grid.wgsl and
// this file among its sources, and defines
//   fn elements() -> u32   the elements that do work (the count in its uniform)
//   fn element(e: u32)     the work of element e

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let e = invocation(g, lid, WG);
  if (e >= elements()) {
    return;
  }
  element(e);
}
