// flashDecodingFast, split kernel in lanes (split: 'lanes'): one workgroup per (batch, KV head, query row,
// split), as flashDecodingFast.wgsl, but with no barrier inside the key loop. LPK consecutive lanes own a
// key (a key group; NKG = WG / LPK of them a workgroup), lane t % LPK its vec4 columns t % LPK, + LPK, …
// (CPL = D4 / LPK), so the LPK lanes read LPK·16 contiguous bytes per load of K and of V. Each key group
// walks keys kg, kg + NKG, … of the split, U a step (their K and V loads issued together), and keeps its
// own online softmax for the G query heads of the KV head: m and l per head, and O for its CPL columns in
// registers, with q (pre-scaled by scale·log2 e, so exp2) in registers too. A key's dot products are
// added over its LPK lanes by shuffles. After the loop the key groups of a subgroup merge their (m, l, O)
// by log-sum-exp through shuffles, the NSG subgroups meet in workgroup memory (one barrier), and the
// split's partial is written in flashDecoding's layout: (m, l) (b, h, sq, splits, 2), m in natural-log
// units and −3e38 where no key was visible, and the unnormalised O (b, h, sq, splits, d).
// The loop's bounds are the workgroup's (keys past the split are read at its last row and masked), so the
// shuffles run in uniform control flow. The prelude sets WG, D4, G, LPK, CPL, U, SG, NSL and SCR; finish
// comes from flashDecodingFastFuse.wgsl (the combine folded in) or flashDecodingFastApart.wgsl. Needs
// `enable subgroups` and one subgroup size SG dividing WG (the program checks). p.count = b·h_k·sq·splits
// workgroups on a folded grid (common/grid.wgsl).

@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> ml: array<vec2<f32>>;  // (b, h, sq, splits): (m, l)
@group(0) @binding(5) var<storage, read_write> oPart: array<vec4<f32>>;  // (b, h, sq, splits, d)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;  // declared for common/trace.wgsl; never traced

const LOG2E: f32 = 1.4426950408889634;
const LN2: f32 = 0.6931471805599453;
const NKG: u32 = WG / LPK;  // key groups of the workgroup
const NSG: u32 = WG / SG;  // subgroups of the workgroup

// Each subgroup's O, (NSG, G, D4); the folded combine reuses it as (NSL, G, D4).
var<workgroup> scr: array<vec4<f32>, SCR>;
var<workgroup> wml: array<vec2<f32>, NSG * G>;  // each subgroup's (m, l) per head

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before any barrier
  let s = wid % p.splits;
  let grp = wid / p.splits;  // (b·h_k + kh)·sq + i
  let i = grp % p.sq;
  let kh = (grp / p.sq) % p.hk;
  let b = grp / (p.sq * p.hk);
  let start = min(p.sk, s * p.splitLen);
  let end = min(p.sk, start + p.splitLen);
  let part = tid % LPK;
  let kg = tid / LPK;
  let qScale = p.scale * LOG2E;
  var qr: array<array<vec4<f32>, CPL>, G>;
  var m: array<f32, G>;
  var l: array<f32, G>;
  var acc: array<array<vec4<f32>, CPL>, G>;
  for (var g = 0u; g < G; g++) {
    let qo = qAt(b, i, kh * G + g) / 4u + part;
    for (var u = 0u; u < CPL; u++) {
      qr[g][u] = q[qo + u * LPK] * qScale;
      acc[g][u] = vec4<f32>(0.0);
    }
    m[g] = NEG;
    l[g] = 0.0;
  }
  for (var j0 = start; j0 < end; j0 += NKG * U) {
    var kr: array<array<vec4<f32>, CPL>, U>;
    var vr: array<array<vec4<f32>, CPL>, U>;
    for (var e = 0u; e < U; e++) {
      let ko = kvAt(b, min(j0 + kg + e * NKG, end - 1u), kh) / 4u + part;
      for (var u = 0u; u < CPL; u++) {
        kr[e][u] = k[ko + u * LPK];
      }
      for (var u = 0u; u < CPL; u++) {
        vr[e][u] = v[ko + u * LPK];
      }
    }
    for (var g = 0u; g < G; g++) {
      var sc: array<f32, U>;
      var mx = m[g];
      for (var e = 0u; e < U; e++) {
        var dt = 0.0;
        for (var u = 0u; u < CPL; u++) {
          dt += dot(kr[e][u], qr[g][u]);
        }
        for (var off = LPK / 2u; off > 0u; off = off >> 1u) {
          dt += subgroupShuffleXor(dt, off);
        }
        let j = j0 + kg + e * NKG;
        sc[e] = select(NEG, dt, j < end && visible(i, j));
        mx = max(mx, sc[e]);
      }
      let mUse = select(mx, 0.0, mx <= NEG_HALF);
      let a = exp2(m[g] - mUse);  // 0 while nothing was visible (m = NEG)
      m[g] = mx;
      l[g] *= a;
      for (var u = 0u; u < CPL; u++) {
        acc[g][u] *= a;
      }
      for (var e = 0u; e < U; e++) {
        let pe = select(exp2(sc[e] - mUse), 0.0, sc[e] <= NEG_HALF);
        l[g] += pe;
        for (var u = 0u; u < CPL; u++) {
          acc[g][u] += pe * vr[e][u];
        }
      }
    }
  }
  // The subgroup's key groups merge by log-sum-exp (butterfly over lanes LPK, 2·LPK, … apart): every lane
  // ends with the subgroup's (m, l, O) for its columns. Two empty sides give m = NEG, l = 0, O = 0.
  for (var off = LPK; off < SG; off = off << 1u) {
    for (var g = 0u; g < G; g++) {
      let mo = subgroupShuffleXor(m[g], off);
      let lo = subgroupShuffleXor(l[g], off);
      let mN = max(m[g], mo);
      let a = exp2(m[g] - mN);
      let c = exp2(mo - mN);
      l[g] = a * l[g] + c * lo;
      for (var u = 0u; u < CPL; u++) {
        acc[g][u] = a * acc[g][u] + c * subgroupShuffleXor(acc[g][u], off);
      }
      m[g] = mN;
    }
  }
  let sgi = tid / SG;
  if (tid % SG < LPK) {
    for (var g = 0u; g < G; g++) {
      for (var u = 0u; u < CPL; u++) {
        scr[(sgi * G + g) * D4 + part + u * LPK] = acc[g][u];
      }
      if (part == 0u) {
        wml[sgi * G + g] = vec2<f32>(m[g], l[g]);
      }
    }
  }
  workgroupBarrier();
  let row0 = (b * p.h + kh * G) * p.sq + i;  // head g's row: row0 + g·sq
  for (var x = tid; x < G * D4; x += WG) {
    let g = x / D4;
    let c = x % D4;
    var M = NEG;
    for (var t = 0u; t < NSG; t++) {
      M = max(M, wml[t * G + g].x);
    }
    var L = 0.0;
    var O = vec4<f32>(0.0);
    for (var t = 0u; t < NSG; t++) {
      let w = exp2(wml[t * G + g].x - M);
      L += w * wml[t * G + g].y;
      O += w * scr[(t * G + g) * D4 + c];
    }
    let at = (row0 + g * p.sq) * p.splits + s;
    oPart[at * D4 + c] = O;
    if (c == 0u) {
      ml[at] = vec2<f32>(select(M * LN2, NEG, M <= NEG_HALF), L);
    }
  }
  // Folded combine (flashDecodingFastFuse.wgsl): the group's last workgroup merges its partials; or nothing
  // (flashDecodingFastApart.wgsl), the combine kernel running after.
  finish(b, kh, i, grp, row0, tid);
}
