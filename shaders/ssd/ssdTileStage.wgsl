// The staging and the chunk scan both fast SSD tile cores share (ssd/ssdFastTile.wgsl: f32 register
// tiles; ssd/ssdMatrixTile.wgsl: subgroup matrices). A workgroup owns a TM×TN output tile and reduces over k
// in slices of KS: stageSlices() has its WG invocations copy the slice of each operand into workgroup
// memory, k-major, through the core's setA(k, m, v) and setB(k, n, v), reading the kernel's
// sliceA(which, k, m) and sliceB(which, k, n) (zero outside: every loop has a constant trip count). The
// core waits on the barriers around it and multiplies. Also here: the chunk's running sums of A (cum), the
// prefix or suffix scan both kernels need.
// Prelude constants: TM, TN, KS, WG, QP (a power of two ≥ the chunk); KS·TM and KS·TN multiples of WG.

const SA: u32 = KS * TM / WG;  // A-slice elements each invocation stages
const SB: u32 = KS * TN / WG;  // B-slice elements each invocation stages

var<workgroup> cum: array<f32, QP>;  // the chunk's running sums of A (prefix or suffix)

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

/**
 * Stages the slice [k0, k0 + KS) of both operands of reduction `which`. `across`: the operands are read
 * along k (rows of C, B and the states, contiguous in n), so k runs fastest over the invocations and the
 * stores transpose; otherwise along the rows m and columns n.
 */
fn stageSlices(which: u32, k0: u32, across: bool, lid: u32) {
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
