// The matrix-unit scan kernel's whole-tile store (ssd/ssdMatrixTile.wgsl, DIRECT): a subgroup's 16×16 block
// of Y (rows t, columns p; row stride H·P) straight into storage, at tile row m, column n. Included only with
// the matrix core, after ssd/ssdFastScan.wgsl (whose `at` and Y it uses).

fn storeMatrix(which: u32, m: u32, n: u32, v: Res) {
  let base = xIdx(at.bi, at.cStart + at.t0 + m, at.hh, at.p0 + n);
  subgroupMatrixStore<row_major>(&Y, base, v, prm.H * prm.P);
}
