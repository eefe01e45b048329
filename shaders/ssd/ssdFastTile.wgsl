// The register-tiled matrix product the fast SSD kernels (ssdFastPrep.wgsl, ssdFastScan.wgsl) share, and the
// chunk scan of A they both need. A workgroup owns a TM×TN output tile; invocation lid (tr = lid / CT,
// tc = lid % CT) owns RM contiguous rows tr·RM + r and RN columns in RN / 4 groups of 4, group q at
// q·(TN / (RN / 4)) + tc·4, so the 4-wide reads of neighbouring invocations are contiguous. The block lives
// in a function-scope array of vec4 the caller passes in: entry r·BV + q holds row r, column group q.
// Each step stages a KS-long slice of the reduction into workgroup memory k-major (As[k][m], Bs[k][n],
// rows padded by 4 floats so the transposing stores spread over the banks while the vec4 reads stay
// aligned), then mma() adds Σ_k As[k][rows] ⊗ Bs[k][cols]: per k, RM / 4 + RN / 4 vec4 loads (the A ones
// shared by the CT invocations of a row) for RM·RN fused multiply-adds.
// Slices are zero past their valid length, so every loop here has a constant trip count (unrolled).
// A kernel including this file binds `prm: SsdParams` and `A`, and defines, for each of its reductions
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
const SA: u32 = KS * TM / WG;  // A-slice elements each invocation stages
const SB: u32 = KS * TN / WG;  // B-slice elements each invocation stages

var<workgroup> As: array<vec4<f32>, KS * TMP / 4u>;  // (KS, TMP) k-major
var<workgroup> Bs: array<vec4<f32>, KS * TNP / 4u>;  // (KS, TNP) k-major
var<workgroup> cum: array<f32, QP>;  // the chunk's running sums of A (prefix or suffix)

/** Element (k, m) of the A slice. */
fn setA(k: u32, m: u32, v: f32) {
  As[k * (TMP / 4u) + m / 4u][m % 4u] = v;
}

/** Element (k, n) of the B slice. */
fn setB(k: u32, n: u32, v: f32) {
  Bs[k * (TNP / 4u) + n / 4u][n % 4u] = v;
}

/**
 * Element lid + q·WG of a slice stored as rows `inner` long: (row, position in the row). Where WG is a
 * multiple of `inner` (a constant at every call) the row is lid / inner + q·(WG / inner), so the address
 * steps by a constant from one q to the next and the division is done once.
 */
fn slot(q: u32, lid: u32, inner: u32) -> vec2<u32> {
  if (WG % inner == 0u) {
    return vec2<u32>(lid / inner + q * (WG / inner), lid % inner);
  }
  let e = lid + q * WG;
  return vec2<u32>(e / inner, e % inner);
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
fn mma(acc: ptr<function, array<vec4<f32>, RM * BV>>, tr: u32, tc: u32) {
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
 * slices, stages both operands, and, where `multiply` (it may differ between invocations), adds their product to
 * acc. `across`: the operands are read along k (rows of C, B and the states, contiguous in n), so k runs
 * fastest over the invocations and the stores transpose; otherwise along the rows m and columns n.
 */
fn reduceSlice(acc: ptr<function, array<vec4<f32>, RM * BV>>, which: u32, k0: u32, across: bool, lid: u32, multiply: bool) {
  workgroupBarrier();
  for (var q = 0u; q < SA; q++) {
    var km = slot(q, lid, TM);
    if (across) {
      km = slot(q, lid, KS).yx;
    }
    setA(km.x, km.y, sliceA(which, k0 + km.x, km.y));
  }
  for (var q = 0u; q < SB; q++) {
    var kn = slot(q, lid, TN);
    if (across) {
      kn = slot(q, lid, KS).yx;
    }
    setB(kn.x, kn.y, sliceB(which, k0 + kn.x, kn.y));
  }
  workgroupBarrier();
  if (multiply) {
    mma(acc, lid / CT, lid % CT);
  }
}

/** Hands every output of the invocation's block inside the first `rows`×`cols` of the tile to store(which, …). */
fn storeTile(acc: ptr<function, array<vec4<f32>, RM * BV>>, which: u32, lid: u32, rows: u32, cols: u32) {
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

/**
 * cum ← the running sums of the chunk's A (rows [cStart, cStart + len) of batch bi, head hh), 0 past the
 * chunk: prefix sums Σ_{k=start..start+i} A_k, or (suffix) Σ_{k=start+i+1..end} A_k, the decay from row i to
 * the chunk's end.
 */
fn chunkScan(bi: u32, hh: u32, cStart: u32, len: u32, lid: u32, suffix: bool) {
  let shift = select(0u, 1u, suffix);
  for (var i = lid; i < QP; i += WG) {
    var a = 0.0;
    if (i + shift < len) {
      a = A[aIdx(bi, cStart + i + shift, hh)];
    }
    cum[i] = a;
  }
  scanCum(lid, suffix);
}

const EPT: u32 = (QP + WG - 1u) / WG;  // cum entries per invocation

/**
 * cum[i] ← Σ_{j ≤ i} cum[j] (reverse: Σ_{j ≥ i}) over all QP entries, Hillis–Steele: log₂QP rounds of one
 * masked add each, so every sum is a plain sum of the entries it covers (no differences).
 */
fn scanCum(lid: u32, reverse: bool) {
  workgroupBarrier();
  for (var off = 1u; off < QP; off <<= 1u) {
    var v: array<f32, EPT>;
    for (var m = 0u; m < EPT; m++) {
      let i = lid + m * WG;
      if (i < QP) {
        var x = cum[i];
        if (reverse) {
          if (i + off < QP) {
            x += cum[i + off];
          }
        } else if (i >= off) {
          x += cum[i - off];
        }
        v[m] = x;
      }
    }
    workgroupBarrier();
    for (var m = 0u; m < EPT; m++) {
      let i = lid + m * WG;
      if (i < QP) {
        cum[i] = v[m];
      }
    }
    workgroupBarrier();
  }
}
