// The f32 tile core of the fast SSD kernels (ssdFastPrep.wgsl, ssdFastScan.wgsl): register-tiled matrix
// products (ssd/ssdMatrixTile.wgsl is the same interface on the matrix units; the staging and the chunk
// scan of A are ssd/ssdTileStage.wgsl's). A workgroup owns a TM×TN output tile; invocation lid (tr = lid / CT,
// tc = lid % CT) owns RM contiguous rows tr·RM + r and RN columns in RN / 4 groups of 4, group q at
// q·(TN / (RN / 4)) + tc·4, so the 4-wide reads of neighbouring invocations are contiguous. The block lives
// in a function-scope array of vec4 the caller passes in: entry r·BV + q holds row r, column group q.
// Each step stages a KS-long slice of the reduction into workgroup memory k-major (ssd/ssdTileStage.wgsl:
// As[k][m], Bs[k][n], rows padded by 4 floats so the transposing stores spread over the banks while the
// vec4 reads stay aligned), then mma() adds Σ_k As[k][rows] ⊗ Bs[k][cols]: per k, RM / 4 + RN / 4 vec4
// loads (the A ones shared by the CT invocations of a row) for RM·RN fused multiply-adds.
// Slices are zero past their valid length, so every loop here has a constant trip count (unrolled).
// The interface both cores give the kernels: `Acc` (an invocation's share of the tile), reduceSlice,
// storeTile, lastRowOf, decayRows and FOLD_DECAY. A kernel including them binds `prm: SsdParams` and `A`,
// and defines, for each of its reductions
// `which` (a constant at every call, so the branches on it fold away):
//   fn sliceA(which: u32, k: u32, m: u32) -> f32   element (k, row m) of the A operand, 0 outside
//   fn sliceB(which: u32, k: u32, n: u32) -> f32   element (k, column n) of the B operand, 0 outside
//   fn store(which: u32, m: u32, n: u32, v: f32)   output (m, n) of the tile, called only inside `rows`×`cols`
// Prelude constants: TM, TN, RM, RN (4 or 8 each), KS, WG = (TM / RM)·(TN / RN), QP (a power of two ≥ the
// chunk); KS·TM and KS·TN are multiples of WG.

const CT: u32 = TN / RN;  // invocations along a row of the tile
const AV: u32 = RM / 4u;  // vec4 of A per invocation and k
const BV: u32 = RN / 4u;  // vec4 of B per invocation and k
const TMP: u32 = TM + 4u;  // padded row length of As (floats)
const TNP: u32 = TN + 4u;  // padded row length of Bs (floats)
// The scan kernel scales its inter-chunk rows by their decay after the product (decayRows), not in C.
const FOLD_DECAY: bool = false;

alias Acc = array<vec4<f32>, RM * BV>;

var<workgroup> As: array<vec4<f32>, KS * TMP / 4u>;  // (KS, TMP) k-major
var<workgroup> Bs: array<vec4<f32>, KS * TNP / 4u>;  // (KS, TNP) k-major

/** Element (k, m) of the A slice. */
fn setA(k: u32, m: u32, v: f32) {
  As[k * (TMP / 4u) + m / 4u][m % 4u] = v;
}

/** Element (k, n) of the B slice. */
fn setB(k: u32, n: u32, v: f32) {
  Bs[k * (TNP / 4u) + n / 4u][n % 4u] = v;
}

/** The tile row of the invocation's row r. */
fn rowOf(tr: u32, r: u32) -> u32 {
  return tr * RM + r;
}

/** The tile column of the invocation's column j (group j / 4). */
fn colOf(tc: u32, j: u32) -> u32 {
  return (j / 4u) * (TN / BV) + tc * 4u + j % 4u;
}

/** acc[r·BV + q] += Σ_k As[k][row r] · Bs[k][column group q], over the whole staged slice. */
fn mma(acc: ptr<function, Acc>, tr: u32, tc: u32) {
  for (var k = 0u; k < KS; k++) {
    var b: array<vec4<f32>, BV>;
    for (var q = 0u; q < BV; q++) {
      b[q] = Bs[k * (TNP / 4u) + q * CT + tc];
    }
    for (var i = 0u; i < AV; i++) {
      let a = As[k * (TMP / 4u) + tr * AV + i];
      for (var q = 0u; q < BV; q++) {
        let r = 4u * i * BV + q;
        (*acc)[r] = fma(vec4<f32>(a.x), b[q], (*acc)[r]);
        (*acc)[r + BV] = fma(vec4<f32>(a.y), b[q], (*acc)[r + BV]);
        (*acc)[r + 2u * BV] = fma(vec4<f32>(a.z), b[q], (*acc)[r + 2u * BV]);
        (*acc)[r + 3u * BV] = fma(vec4<f32>(a.w), b[q], (*acc)[r + 3u * BV]);
      }
    }
  }
}

/**
 * One step of reduction `which` over k in [k0, k0 + KS): waits until the last product is done with the
 * slices, stages both operands, and, where `multiply` (it may differ between invocations), adds their
 * product to acc.
 */
fn reduceSlice(acc: ptr<function, Acc>, which: u32, k0: u32, across: bool, lid: u32, multiply: bool) {
  workgroupBarrier();
  stageSlices(which, k0, across, lid);
  workgroupBarrier();
  if (multiply) {
    mma(acc, lid / CT, lid % CT);
  }
}

/** Hands every output of the invocation's block inside the first `rows`×`cols` of the tile to store(which, …). */
fn storeTile(acc: ptr<function, Acc>, which: u32, lid: u32, rows: u32, cols: u32) {
  for (var r = 0u; r < RM; r++) {
    let m = rowOf(lid / CT, r);
    for (var j = 0u; j < RN; j++) {
      let n = colOf(lid % CT, j);
      if (m < rows && n < cols) {
        store(which, m, n, (*acc)[r * BV + j / 4u][j % 4u]);
      }
    }
  }
}

/** The last tile row the invocation's block covers (a DIAG slice past it adds nothing to the block). */
fn lastRowOf(lid: u32) -> u32 {
  return rowOf(lid / CT, RM - 1u);
}

/** Each row t0 + m of the block times exp(cum[t0 + m]): the inter-chunk term's decay. */
fn decayRows(acc: ptr<function, Acc>, lid: u32, t0: u32) {
  for (var r = 0u; r < RM; r++) {
    let f = exp(cum[min(t0 + rowOf(lid / CT, r), QP - 1u)]);
    for (var q = 0u; q < BV; q++) {
      (*acc)[r * BV + q] *= f;
    }
  }
}
