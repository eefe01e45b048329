// The workgroup builtins of an S4-family kernel dispatched over a folded grid (engine/gpu/grid.ts), taken
// as one entry-point argument, and the linear ids recovered from them. Both builtins are uniform, so ids
// derived from them alone may guard a workgroupBarrier. Structs and functions only; needs
// common/grid.wgsl and the kernel's own `WG` (its workgroup size).

struct Workgroup {
  @builtin(workgroup_id) id: vec3<u32>,
  @builtin(num_workgroups) n: vec3<u32>,
}

/** The workgroup's linear id: what gridFor counted. */
fn workgroupIndex(g: Workgroup) -> u32 {
  return linearWorkgroup(g.id, g.n);
}

/** The invocation's linear id, WG invocations per workgroup: what gridForInvocations counted. */
fn invocationIndex(g: Workgroup, lid: u32) -> u32 {
  return linearInvocation(g.id, g.n, lid, WG);
}
