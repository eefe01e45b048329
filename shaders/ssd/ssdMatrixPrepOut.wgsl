// The matrix-unit prep kernel's whole-tile store (ssd/ssdMatrixTile.wgsl, DIRECT): a subgroup's 16×16 result
// straight into the chunk states (row stride N) or the group's C·Bᵀ (row stride Q), at tile row m, column n.
// Included only with the matrix core, after ssd/ssdFastPrep.wgsl (whose `at`, STATE and buffers it uses).

fn storeMatrix(which: u32, m: u32, n: u32, v: Res) {
  let c = at.cStart / prm.Q;
  if (which == STATE) {
    let base = stateIdx(c, at.bi, at.hh) + (at.m0 + m) * prm.N + at.n0 + n;
    subgroupMatrixStore<row_major>(&states, base, v, prm.N);
  } else {
    let base = ((at.bi * prm.G + at.gi) * prm.nC + c) * prm.Q * prm.Q + (at.m0 + m) * prm.Q + at.n0 + n;
    subgroupMatrixStore<row_major>(&cbt, base, v, prm.Q);
  }
}
