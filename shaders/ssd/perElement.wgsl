// The entry point of the elementwise SSD-family kernels (mamba2Prep, mamba2Gate, segsum): one invocation
// per element e < prm.count over a grid that engine/gpu/grid.ts may have folded into (x, y, z). Each kernel
// binds a uniform `prm` with a `count` field and defines `fn element(e: u32)`.

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let e = invocation(g, lid, WG);
  if (e >= prm.count) {
    return;
  }
  element(e);
}
