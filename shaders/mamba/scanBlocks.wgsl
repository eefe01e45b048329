// Workgroups of the scans that stage one B/C tile for several channels (selectiveScanTile, selectiveScanSplit,
// selectiveScanSegments): per batch, channels in blocks of q = gcd(channels per B group, per C group) (fixed
// B or C puts no bound: it is read per channel), each block in ⌈q / k⌉ workgroups of k channels; channels
// past a block idle. Mirrored on the host by tileWorkgroups (engine/programs/mamba/selectiveScanTile.ts).
// Needs selectiveScanParams.wgsl's p.

struct Block {
  b: u32,
  /** First channel of the workgroup; channel c of it is d0 + c. */
  d0: u32,
  /** Channels of the workgroup that exist: c < live. */
  live: u32,
}

fn gcdU(a0: u32, b0: u32) -> u32 {
  var a = a0;
  var b = b0;
  while (b != 0u) {
    let r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/** Channels per block: every channel of a block shares its B group and its C group (fixed: any). */
fn blockSize() -> u32 {
  return gcdU(select(p.D, p.bPerGroup, p.bTime != 0u), select(p.D, p.cPerGroup, p.cTime != 0u));
}

/** Workgroups that do work at k channels a workgroup. */
fn blockWorkgroups(k: u32) -> u32 {
  let q = blockSize();
  return p.batch * (p.D / q) * ((q + k - 1u) / k);
}

/** The id-th workgroup's block at k channels a workgroup. */
fn blockOf(id: u32, k: u32) -> Block {
  let q = blockSize();
  let slots = (q + k - 1u) / k;
  let perBatch = (p.D / q) * slots;
  let rem = id % perBatch;
  let slot = rem % slots;
  return Block(id / perBatch, (rem / slots) * q + slot * k, min(k, q - slot * k));
}
