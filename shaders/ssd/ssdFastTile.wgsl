// The register-tiled matrix product the fast SSD kernels (ssdFastPrep.wgsl, ssdFastScan.wgsl) share, and the
// chunk scan of A they both need. A workgroup owns a TM×TN output tile; invocation lid owns the RM×4 block
// at rows tr·RM.., columns tc·4.. (tr = lid / CT, tc = lid % CT), kept in a function-scope array of vec4
// that the caller passes in. Each step stages a KS-long slice of the reduction into workgroup memory
// k-major (As[k][m], Bs[k][n], rows padded by 4 floats so the transposing stores spread over the banks
// while the vec4 reads stay aligned), then mma() adds Σ_k As[k][rows] ⊗ Bs[k][cols]: per k, RM/4 + 1 vec4
// loads (the A ones broadcast over the 16 invocations of a row) for 4·RM fused multiply-adds.
// Slices are zero past their valid length, so the k loop always runs KS steps (constant: unrolled).
// Prelude constants: TM, TN, RM (4 or 8), KS, WG = (TM / RM)·(TN / 4), QP (a power of two ≥ the chunk).

const CT: u32 = TN / 4u;  // invocations along a row of the tile
const AV: u32 = RM / 4u;  // vec4 of A per invocation and k
const TMP: u32 = TM + 4u;  // padded row length of As (floats)
const TNP: u32 = TN + 4u;  // padded row length of Bs (floats)

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

/** acc[r] += Σ_k As[k][tr·RM + r] · Bs[k][tc·4 .. tc·4 + 3], over the whole staged slice. */
fn mma(acc: ptr<function, array<vec4<f32>, RM>>, tr: u32, tc: u32) {
  for (var k = 0u; k < KS; k++) {
    let b = Bs[k * (TNP / 4u) + tc];
    for (var i = 0u; i < AV; i++) {
      let a = As[k * (TMP / 4u) + tr * AV + i];
      (*acc)[4u * i] = fma(vec4<f32>(a.x), b, (*acc)[4u * i]);
      (*acc)[4u * i + 1u] = fma(vec4<f32>(a.y), b, (*acc)[4u * i + 1u]);
      (*acc)[4u * i + 2u] = fma(vec4<f32>(a.z), b, (*acc)[4u * i + 2u]);
      (*acc)[4u * i + 3u] = fma(vec4<f32>(a.w), b, (*acc)[4u * i + 3u]);
    }
  }
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
