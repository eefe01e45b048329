// Grid folding, the kernel side of engine/gpu/grid.ts. Structs and functions only. A kernel dispatched over
// a folded grid recovers its linear workgroup id here and returns at once when it is past the count it was
// given (the fold may overshoot by less than one row).
// An entry point takes the two builtins as one argument and its local index on its own:
//   @compute @workgroup_size(WG)
//   fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
//     let lin = linear(g);            // gridFor: one id per workgroup
//     let i = invocation(g, lid, WG); // gridForInvocations: one id per invocation
// Both builtins are uniform, so an id derived from `g` alone may guard a return before a workgroupBarrier
// (the whole workgroup takes it). lid stays out of the struct: a struct holding local_invocation_index is
// non-uniform as a whole, and the uniformity analysis then rejects every barrier after such a return.

struct Workgroups {
  @builtin(workgroup_id) id: vec3<u32>,
  @builtin(num_workgroups) n: vec3<u32>,
}

fn linearWorkgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x + wid.z * nwg.x * nwg.y;
}

/** The invocation's linear index when each workgroup has `wg` invocations. */
fn linearInvocation(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, wg: u32) -> u32 {
  return linearWorkgroup(wid, nwg) * wg + lid;
}

/** The workgroup's linear id: what gridFor counted. */
fn linear(g: Workgroups) -> u32 {
  return linearWorkgroup(g.id, g.n);
}

/** The invocation's linear id, `wg` invocations per workgroup: what gridForInvocations counted. */
fn invocation(g: Workgroups, lid: u32, wg: u32) -> u32 {
  return linearInvocation(g.id, g.n, lid, wg);
}
