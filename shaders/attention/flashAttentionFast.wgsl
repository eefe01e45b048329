// FlashAttention-2 forward, register-tiled like an SGEMM (f32). One workgroup per (Q tile of BR rows,
// head, batch), p.count = tr·h·b of them on a folded grid, the tiles nearest the end of the sequence first
// (under a causal mask they visit the most K/V tiles, so the heavy workgroups start early and the light
// ones fill the tail). The WG = (BR / RM)·TC invocations form BR / RM row groups of TC lanes: invocation
// (rg, cg) holds in registers an RM × RN block of S (rows rg + (BR/RM)·i, keys cg + TC·n) and the matching
// RM × 4·DV block of O (columns 4·(TC·ch + cg) + 0..3), so each row's max and sum meet across TC lanes of
// one subgroup (flashAttentionFastSg.wgsl) or through workgroup memory (flashAttentionFastShared.wgsl).
// Traffic: the Q tile is read once, scaled by scale·log2 e (so the softmax runs on exp2), into workgroup
// memory (flashAttentionFastQShared.wgsl), or read from storage by every use through the L1 cache with
// the scale applied to S (flashAttentionFastQStorage.wgsl: 17 KiB less workgroup memory at d = 64); each
// visible K/V tile of BC rows is read once per Q tile, into registers one tile ahead (so the
// loads overlap the tile before's arithmetic), then into workgroup memory (tiles entirely above the causal
// diagonal are never read, and only tiles crossing the diagonal or the end of K are masked); P goes
// through workgroup memory once per tile (flashAttentionFastPShared.wgsl) or from lane to lane of its row
// on subgroup shuffles (flashAttentionFastPShuffle.wgsl: no P tile and one barrier a tile less); O is divided
// by l and written once, lse once.
// Workgroup memory (vec4): Ks (BC, D/4 + 1), Vs (BC, D/4), and where those forms keep them Qs (BR, D/4 + 1)
// and Ps (BR, BC/4 + 1); the padded rows keep the lanes of a row group, which read K rows TC apart, and the
// row groups of a subgroup, which read adjacent Q and P rows, on distinct banks.
// The prelude sets D, BR, BC, RM, RN = BC / TC, TC, DV = D / (4·TC) and WG; d must be a multiple of 4·TC.
// −inf is NEG (finite), as in the other attention kernels.

@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> o: array<vec4<f32>>;  // (b, sq, h, d)
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;  // declared for common/trace.wgsl; never traced

const D4: u32 = D / 4u;
const NRG: u32 = BR / RM;  // row groups: invocation (rg, cg) holds rows rg + NRG·i
const KS: u32 = D4 + 1u;  // padded row stride (vec4) of Ks
const LOG2E: f32 = 1.4426950408889634;
const LN2: f32 = 0.6931471805599453;

var<workgroup> Ks: array<vec4<f32>, BC * KS>;  // (Bc, d)
var<workgroup> Vs: array<vec4<f32>, BC * D4>;  // (Bc, d)
var<private> pt: array<array<f32, RN>, RM>;  // P = exp2(S − m), this lane's block (the shuffle form's)

// Where the workgroup's Q tile sits, and which row group and lane of it this invocation is.
struct At {
  b: u32,
  hh: u32,
  kh: u32,
  r0: u32,
  rows: u32,
  rg: u32,
  cg: u32,
  lane0: u32,  // the subgroup invocation id of the row group's first lane (subgroup forms)
}

const KVL: u32 = (BC * D4 + WG - 1u) / WG;  // vec4 of K (and of V) each invocation moves per tile

// K/V tile rows c0… into registers (zeros past sk): issued a tile ahead, so the loads fly while the
// workgroup computes on the tile before.
struct KVRegs {
  k: array<vec4<f32>, KVL>,
  v: array<vec4<f32>, KVL>,
}

fn fetchKV(tid: u32, at: At, c0: u32) -> KVRegs {
  var r: KVRegs;
  for (var n = 0u; n < KVL; n++) {
    let idx = tid + n * WG;
    let jj = idx / D4;
    if (idx < BC * D4 && c0 + jj < p.sk) {
      let off = kvAt(at.b, c0 + jj, at.kh) / 4u + idx % D4;
      r.k[n] = k[off];
      r.v[n] = v[off];
    }
  }
  return r;
}

fn storeKV(tid: u32, r: KVRegs) {
  for (var n = 0u; n < KVL; n++) {
    let idx = tid + n * WG;
    if (idx < BC * D4) {
      let jj = idx / D4;
      let c4 = idx % D4;
      Ks[jj * KS + c4] = r.k[n];
      Vs[jj * D4 + c4] = r.v[n];
    }
  }
}

// This invocation's block of S = (scale·log2 e) Q Kᵀ over the K tile in workgroup memory.
fn scores(at: At) -> array<array<f32, RN>, RM> {
  var s: array<array<f32, RN>, RM>;
  for (var c4 = 0u; c4 < D4; c4++) {
    var qf: array<vec4<f32>, RM>;
    for (var i = 0u; i < RM; i++) {
      qf[i] = qGet(qRow(at, i), c4);
    }
    for (var n = 0u; n < RN; n++) {
      let kf = Ks[(at.cg + n * TC) * KS + c4];
      for (var i = 0u; i < RM; i++) {
        let a = qf[i];
        s[i][n] = fma(a.w, kf.w, fma(a.z, kf.z, fma(a.y, kf.y, fma(a.x, kf.x, s[i][n]))));
      }
    }
  }
  if (Q_STORAGE) {  // Q came unscaled (a constant branch: the staged form compiles without it)
    let sc = p.scale * LOG2E;
    for (var i = 0u; i < RM; i++) {
      for (var n = 0u; n < RN; n++) {
        s[i][n] *= sc;
      }
    }
  }
  return s;
}

@compute @workgroup_size(WG)
fn main(wg: Workgroups, lane: Lane) {
  let tid = lane.tid;
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before any barrier
  let heads = p.h * p.b;
  // r0 and rows stay out of `at` (which holds tid) so the tile count, and the barriers under it, are uniform.
  let r0 = (p.tr - 1u - wid / heads) * BR;
  let rows = min(BR, p.sq - r0);
  var at: At;
  at.r0 = r0;
  at.rows = rows;
  at.hh = (wid % heads) % p.h;
  at.b = (wid % heads) / p.h;
  at.kh = kvHead(at.hh);
  at.rg = tid / TC;
  at.cg = tid % TC;
  at.lane0 = rowLane0(lane, at.cg);
  loadQ(tid, at);

  var m: array<f32, RM>;  // running max (log2 units), NEG = −inf
  var l: array<f32, RM>;  // this lane's part of the running sum
  var acc: array<array<vec4<f32>, DV>, RM>;  // unnormalised O
  for (var i = 0u; i < RM; i++) {
    m[i] = NEG;
  }
  let tiles = keyTilesFor(r0, rows, BC);
  var kv = fetchKV(tid, at, 0u);
  for (var t = 0u; t < tiles; t++) {
    let c0 = t * BC;
    workgroupBarrier();  // Qs written (first tile); the last tile's reads of Ks, Ps and Vs done
    storeKV(tid, kv);
    workgroupBarrier();
    if (t + 1u < tiles) {
      kv = fetchKV(tid, at, c0 + BC);
    }
    var s = scores(at);
    // Only a tile crossing the end of K, or the diagonal for the tile's first row, needs the mask.
    let edge = c0 + BC > p.sk || (p.causal != 0u && c0 + BC + p.sq > r0 + p.sk + 1u);
    if (edge) {
      for (var i = 0u; i < RM; i++) {
        for (var n = 0u; n < RN; n++) {
          let j = c0 + at.cg + n * TC;
          s[i][n] = select(NEG, s[i][n], j < p.sk && visible(at.r0 + at.rg + NRG * i, j));
        }
      }
    }
    var mt: array<f32, RM>;
    for (var i = 0u; i < RM; i++) {
      mt[i] = s[i][0];
      for (var n = 1u; n < RN; n++) {
        mt[i] = max(mt[i], s[i][n]);
      }
    }
    mt = rowMax(mt, tid);
    for (var i = 0u; i < RM; i++) {
      let mNew = max(m[i], mt[i]);
      let mUse = select(mNew, 0.0, mNew <= NEG_HALF);
      let alpha = exp2(m[i] - mUse);  // 0 while nothing was visible (m = NEG)
      m[i] = mNew;
      var sum = 0.0;
      for (var n = 0u; n < RN; n++) {
        let e = exp2(s[i][n] - mUse);  // 0 for a masked score
        sum += e;
        // The forms' P stores inline, behind a constant: as a called function, or with Q's scaling as one,
        // the default 4-row staged kernel fell off a register cliff on the H200 (4.1 → 22 ms at 4K).
        if (P_SHUFFLE) {
          pt[i][n] = e;
        } else {
          let j = at.cg + n * TC;
          Ps[(at.rg + NRG * i) * PS + j / 4u][j % 4u] = e;
        }
      }
      l[i] = alpha * l[i] + sum;
      for (var ch = 0u; ch < DV; ch++) {
        acc[i][ch] *= alpha;
      }
    }
    accumulatePV(at, &acc);
  }

  let lt = rowSum(l, tid);
  for (var i = 0u; i < RM; i++) {
    let r = at.rg + NRG * i;
    if (r < at.rows) {
      let inv = select(1.0 / lt[i], 0.0, lt[i] == 0.0);
      let ob = qAt(at.b, at.r0 + r, at.hh) / 4u;
      for (var ch = 0u; ch < DV; ch++) {
        o[ob + ch * TC + at.cg] = acc[i][ch] * inv;
      }
      if (at.cg == 0u) {
        let mUse = select(m[i], 0.0, m[i] <= NEG_HALF);
        lse[lseAt(at.b, at.hh, at.r0 + r)] = select(mUse * LN2 + log(lt[i]), posInf(), lt[i] == 0.0);
      }
    }
  }
}
