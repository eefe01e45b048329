// Grid folding, the kernel side of engine/gpu/grid.ts. Functions only. A kernel dispatched over a folded
// grid recovers its linear workgroup id here and returns at once when it is past the count it was given
// (the fold may overshoot by less than one row).

fn linearWorkgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x + wid.z * nwg.x * nwg.y;
}

/** The invocation's linear index when each workgroup has `wg` invocations. */
fn linearInvocation(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, wg: u32) -> u32 {
  return linearWorkgroup(wid, nwg) * wg + lid;
}
