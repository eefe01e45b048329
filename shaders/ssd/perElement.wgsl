// What the elementwise SSD-family kernels (mamba2Prep, mamba2Gate, segsum) give common/perElement.wgsl's
// entry: the workgroup size and the count of their uniform `prm`. Each kernel binds `prm` with a `count`
// field and defines `fn element(e: u32)`.

override WG: u32 = 64u;

fn elements() -> u32 { return prm.count; }
