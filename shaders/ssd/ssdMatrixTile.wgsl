// The matrix-unit tile core of the fast SSD kernels (ssdFastPrep.wgsl, ssdFastScan.wgsl), the same interface
// as the f32 core ssd/ssdFastTile.wgsl on WGSL's subgroup matrices (chromium_experimental_subgroup_matrix):
// operands rounded to f16 as they are staged, products accumulated in f32 (16×16×16 f16 → f32). The host
// enables f16, subgroups and the extension, turns chromium.subgroup_matrix_uniformity off (a subgroup's
// rows are uniform within the subgroup only) and runs it only where the adapter offers those matrices and
// one subgroup size of 32 (engine/gpu/matrix.ts).
// A workgroup of WG = 32·(TM / 16)·SGC invocations owns a TM×TN output tile: subgroup s = lid / 32 owns the
// 16 rows from 16·(s / SGC) and the TN / SGC columns from (s % SGC)·TN / SGC, NJ result matrices side by
// side (`Acc`). ssd/ssdTileStage.wgsl stages each KS-long slice of the reduction k-major as f16 (As[k][m],
// Bs[k][n], rows padded by 8 halves: 16-byte aligned, banks apart); per 16 steps of k a subgroup loads
// one left matrix (As read column-major: row m, column k) and NJ right ones (Bs row-major) and multiplies.
// storeTile: where every tile is whole (DIRECT, the host's finding) each subgroup stores its matrices
// straight to storage through the kernel's storeMatrix (ssd/ssdMatrixPrepOut.wgsl, ssd/ssdMatrixScanOut.wgsl;
// ssd/ssdMatrixNoOut.wgsl elsewhere, since a matrix store into a buffer makes 1 KiB its least binding size);
// otherwise through workgroup memory (a result matrix's elements are opaque to the lanes): each subgroup
// stores its matrices to Os, then every invocation hands its share of the tile, bounds checked, to store().
// A result matrix's rows cannot be scaled in place either, so the scan kernel folds the inter-chunk decay
// into its staged C (FOLD_DECAY) and decayRows does nothing.
// Prelude constants: TM (16, 32 or 64), TN (64), SGC (1, 2 or 4), KS (a multiple of 16), WG, QP, DIRECT.

const SW: u32 = TN / SGC;  // columns of one subgroup
const NJ: u32 = SW / 16u;  // result matrices of one subgroup
const TMP: u32 = TM + 8u;  // padded row length of As (halves)
const TNP: u32 = TN + 8u;  // padded row length of Bs (halves)
const OSTR: u32 = TN + 4u;  // row stride of the f32 output tile
const FOLD_DECAY: bool = true;

alias Left = subgroup_matrix_left<f16, 16, 16>;
alias Right = subgroup_matrix_right<f16, 16, 16>;
alias Res = subgroup_matrix_result<f32, 16, 16>;
alias Acc = array<Res, NJ>;

var<workgroup> As: array<f16, KS * TMP>;  // (KS, TMP) k-major
var<workgroup> Bs: array<f16, KS * TNP>;  // (KS, TNP) k-major
// The finished tile, row-major. Where every tile is whole and goes straight to storage (DIRECT) it is never
// used, but keeps 16 rows: the compiler checks each matrix store against the array it names.
var<workgroup> Os: array<f32, select(TM, 16u, DIRECT) * OSTR>;

/** Element (k, m) of the A slice. */
fn setA(k: u32, m: u32, v: f32) {
  As[k * TMP + m] = f16(v);
}

/** Element (k, n) of the B slice. */
fn setB(k: u32, n: u32, v: f32) {
  Bs[k * TNP + n] = f16(v);
}

/** The first tile row and column of subgroup `sub`'s block. */
fn blockOf(sub: u32) -> vec2<u32> {
  return vec2<u32>(16u * (sub / SGC), (sub % SGC) * SW);
}

/** acc[j] += As[·][rows]ᵀ · Bs[·][columns j], over the whole staged slice, for subgroup `sub`'s block. */
fn mma(acc: ptr<function, Acc>, sub: u32) {
  let at = blockOf(sub);
  for (var k = 0u; k < KS; k += 16u) {
    let a = subgroupMatrixLoad<Left, col_major>(&As, k * TMP + at.x, TMP);
    for (var j = 0u; j < NJ; j++) {
      let b = subgroupMatrixLoad<Right, row_major>(&Bs, k * TNP + at.y + 16u * j, TNP);
      (*acc)[j] = subgroupMatrixMultiplyAccumulate(a, b, (*acc)[j]);
    }
  }
}

/**
 * One step of reduction `which` over k in [k0, k0 + KS), as in the f32 core; `multiply` must be the same
 * over each subgroup (it is: the scan's depends on the block's rows).
 */
fn reduceSlice(acc: ptr<function, Acc>, which: u32, k0: u32, across: bool, lid: u32, multiply: bool) {
  workgroupBarrier();
  stageSlices(which, k0, across, lid);
  workgroupBarrier();
  if (multiply) {
    mma(acc, lid / 32u);
  }
}

/**
 * Hands every output of the tile inside its first `rows`×`cols` to store(which, …), through Os; where DIRECT
 * (the host found every tile whole), each subgroup stores its matrices straight to storage (storeMatrix).
 */
fn storeTile(acc: ptr<function, Acc>, which: u32, lid: u32, rows: u32, cols: u32) {
  let at = blockOf(lid / 32u);
  if (DIRECT) {
    for (var j = 0u; j < NJ; j++) {
      storeMatrix(which, at.x, at.y + 16u * j, (*acc)[j]);
    }
    return;
  }
  for (var j = 0u; j < NJ; j++) {
    subgroupMatrixStore<row_major>(&Os, at.x * OSTR + at.y + 16u * j, (*acc)[j], OSTR);
  }
  workgroupBarrier();
  for (var e = lid; e < TM * TN; e += WG) {
    let m = e / TN;
    let n = e % TN;
    if (m < rows && n < cols) {
      store(which, m, n, Os[m * OSTR + n]);
    }
  }
}

/** The last tile row of the invocation's subgroup's block. */
fn lastRowOf(lid: u32) -> u32 {
  return blockOf(lid / 32u).x + 15u;
}

/** Nothing: the scan kernel folded the decay into C (FOLD_DECAY). */
fn decayRows(acc: ptr<function, Acc>, lid: u32, t0: u32) {}
