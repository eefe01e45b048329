// The entry point of a kernel laid out as one workgroup per linear id over a grid that engine/gpu/grid.ts
// (gridFor) may have folded into (x, y, z). The fold's spare workgroups return at once, the whole workgroup
// together, so the barriers in `workgroupMain` stay uniform. Functions only, no bindings. The kernel declares
// WG (an override or a prelude constant), lists common/grid.wgsl and this file among its sources, and defines
//   fn workgroupCount() -> u32            the linear ids that do work (gridFor's count, read from its uniform)
//   fn workgroupMain(lin: u32, lid: u32)  the work of workgroup lin; lid is the local invocation index
// (`workgroup` itself is taken: it names the address space of var<workgroup>.)

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let lin = linear(g);
  if (lin >= workgroupCount()) {
    return;
  }
  workgroupMain(lin, lid);
}
