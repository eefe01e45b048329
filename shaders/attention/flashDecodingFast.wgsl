// flashDecodingFast, kernel 1 of 2: one workgroup per (batch, KV head, query row, split) computes the
// partial (m, l, O) of all G = h / h_k query heads that share the KV head, so each K and V row of the cache
// is read from storage once (not once per query head), with 16-byte loads.
// A split is walked in tiles of TK = KPT·WG / LPK keys, three phases a tile:
//   scores: LPK consecutive lanes own a key (KPT keys each: t / LPK, + WG / LPK, …), lane t % LPK its vec4
//           columns t % LPK, + LPK, … (CPL = D4 / LPK of them), so the LPK lanes read LPK·16 contiguous
//           bytes per load; all KPT·CPL loads of K are issued first (q is staged in workgroup memory after
//           the first tile's are on their way). Each lane makes the G partial dot products of its columns
//           and laneSum adds them over the LPK lanes (log2 LPK shuffles; LPK = 1: a whole key a lane, no
//           reduction across lanes). q (pre-scaled by scale·log2 e, so the softmax runs on exp2) is read
//           from workgroup memory at LPK addresses per read (broadcasts).
//   softmax: the tile's max per head (headsMax: subgroups, or a tree in workgroup memory), the online
//           rescale of (m, l, O), the probabilities into workgroup memory (TK, G), their sum (headsSum).
//   PV:     invocation t takes the vec4 column c = t % D4 of keys t / D4, + NSL, … (NSL = WG / D4 slices,
//           PVN = TK / NSL keys each): a subgroup reads whole V rows, coalesced; O of the G heads stays in
//           registers (G vec4). With EARLY_V the PVN loads are issued before the softmax's barriers.
// At the end the NSL slices' O meet in workgroup memory (aliased onto the probabilities) and the split's
// partial is written once, in flashDecoding's layout: (m, l) (b, h, sq, splits, 2), m in natural-log
// units and −3e38 where no key was visible, and the unnormalised O (b, h, sq, splits, d).
// Bindings from flashDecodingFastBindings.wgsl. The prelude sets WG, D, D4 = D / 4, G, KPT, LPK, CPL, TK, NSL, PVN, SCR, EARLY_V and K_AHEAD; headsMax, headsSum
// and laneSum come from flashDecodingFastSg.wgsl or flashDecodingFastShared.wgsl, finish from
// flashDecodingFastFuse.wgsl (the combine folded in) or flashDecodingFastApart.wgsl. p.count =
// b·h_k·sq·splits workgroups on a folded grid (common/grid.wgsl).

var<workgroup> qs: array<vec4<f32>, G * D4>;  // (G, D/4) q of the group's heads, times scale·log2 e
// Probabilities of the tile, (TK, G) as scalars; after the last tile the slices' O, (NSL, G, D/4).
var<workgroup> scr: array<vec4<f32>, SCR>;

fn setP(x: u32, e: f32) {
  scr[x / 4u][x % 4u] = e;
}

fn getP(x: u32) -> f32 {
  return scr[x / 4u][x % 4u];
}

// K of the tile at t0: lane (kq, part) loads columns part, part + LPK, … of keys t0 + kq, + WG / LPK, …; a
// key past the split is read at the split's last row and masked by the caller.
fn loadK(at: KvSplit, t0: u32, kq: u32, part: u32) -> array<array<vec4<f32>, CPL>, KPT> {
  var kr: array<array<vec4<f32>, CPL>, KPT>;
  for (var e = 0u; e < KPT; e++) {
    let ko = kvAt(at.b, min(t0 + kq + e * (WG / LPK), at.end - 1u), at.kh) / 4u + part;
    for (var u = 0u; u < CPL; u++) {
      kr[e][u] = k[ko + u * LPK];
    }
  }
  return kr;
}

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before any barrier
  let at = kvSplitOf(wid);
  let qScale = p.scale * LOG2E;
  let cg = tid % D4;
  let sl = tid / D4;
  let part = tid % LPK;
  let kq = tid / LPK;
  var acc: array<vec4<f32>, G>;
  var m: array<f32, G>;
  var l: array<f32, G>;
  for (var g = 0u; g < G; g++) {
    acc[g] = vec4<f32>(0.0);
    m[g] = NEG;
    l[g] = 0.0;
  }
  // With K_AHEAD the first tile's K is loaded here, and each later tile's while the tile before it is in
  // its softmax and PV (below), so K loads are always in flight (KPT·CPL more vec4 live across them).
  var kr: array<array<vec4<f32>, CPL>, KPT>;
  if (K_AHEAD) {
    kr = loadK(at, at.start, kq, part);
  }
  // The tile loop's bounds are the workgroup's, so every barrier below is in uniform control flow.
  for (var t0 = at.start; t0 < at.end; t0 += TK) {
    // Every K load of the tile first (KPT·CPL vec4 in flight).
    if (!K_AHEAD) {
      kr = loadK(at, t0, kq, part);
    }
    // q is staged once, after the first tile's loads are on their way (t0 == start is uniform).
    if (t0 == at.start) {
      for (var x = tid; x < G * D4; x += WG) {
        qs[x] = q[qAt(at.b, at.i, at.kh * G + x / D4) / 4u + x % D4] * qScale;
      }
      workgroupBarrier();
    }
    var sc: array<array<f32, G>, KPT>;
    var tmax: array<f32, G>;
    for (var g = 0u; g < G; g++) {
      tmax[g] = NEG;
    }
    for (var e = 0u; e < KPT; e++) {
      let j = t0 + kq + e * (WG / LPK);
      var dt: array<f32, G>;
      for (var g = 0u; g < G; g++) {
        dt[g] = 0.0;
        for (var u = 0u; u < CPL; u++) {
          dt[g] += dot(kr[e][u], qs[g * D4 + part + u * LPK]);
        }
      }
      let full = laneSum(dt);
      let live = j < at.end && visible(at.i, j);
      for (var g = 0u; g < G; g++) {
        sc[e][g] = select(NEG, full[g], live);
        tmax[g] = max(tmax[g], sc[e][g]);
      }
    }
    // V of the tile: invocation (sl, cg) reads column block cg of keys sl, sl + NSL, …; a key past the
    // split is read at its last row (its probability is 0). EARLY_V issues these loads before the softmax's
    // reductions, so their latency overlaps the barriers (more registers live across them).
    var vr: array<vec4<f32>, PVN>;
    if (EARLY_V) {
      for (var u = 0u; u < PVN; u++) {
        vr[u] = v[kvAt(at.b, min(t0 + sl + u * NSL, at.end - 1u), at.kh) / 4u + cg];
      }
    }
    // The scores are made: kr is free for the next tile's K (t0 + TK < end is the same for every lane).
    if (K_AHEAD && t0 + TK < at.end) {
      kr = loadK(at, t0 + TK, kq, part);
    }
    let mt = headsMax(tmax, tid);
    var mUse: array<f32, G>;
    var alpha: array<f32, G>;
    for (var g = 0u; g < G; g++) {
      let mNew = max(m[g], mt[g]);
      mUse[g] = select(mNew, 0.0, mNew <= NEG_HALF);
      alpha[g] = exp2(m[g] - mUse[g]);  // 0 while nothing was visible (m = NEG)
      m[g] = mNew;
    }
    var ls: array<f32, G>;
    for (var g = 0u; g < G; g++) {
      ls[g] = 0.0;  // explicitly: SwiftShader kept the last tile's sums in a var declared in the loop
    }
    // The LPK lanes of a key hold the same score: the first writes the probability and counts it.
    for (var e = 0u; e < KPT; e++) {
      let jl = kq + e * (WG / LPK);
      for (var g = 0u; g < G; g++) {
        let pe = select(exp2(sc[e][g] - mUse[g]), 0.0, sc[e][g] <= NEG_HALF);
        if (part == 0u) {
          setP(jl * G + g, pe);
          ls[g] += pe;
        }
      }
    }
    // headsSum's barriers also publish the probabilities just written.
    let lt = headsSum(ls, tid);
    for (var g = 0u; g < G; g++) {
      l[g] = alpha[g] * l[g] + lt[g];
      acc[g] *= alpha[g];
    }
    if (!EARLY_V) {
      for (var u = 0u; u < PVN; u++) {
        vr[u] = v[kvAt(at.b, min(t0 + sl + u * NSL, at.end - 1u), at.kh) / 4u + cg];
      }
    }
    for (var u = 0u; u < PVN; u++) {
      let jj = sl + u * NSL;
      if (G % 4u == 0u) {
        // The G probabilities of key jj are G / 4 whole vec4 of the scratch.
        for (var g4 = 0u; g4 < G / 4u; g4++) {
          let pv = scr[jj * (G / 4u) + g4];
          for (var c = 0u; c < 4u; c++) {
            acc[g4 * 4u + c] += pv[c] * vr[u];
          }
        }
      } else {
        for (var g = 0u; g < G; g++) {
          acc[g] += getP(jj * G + g) * vr[u];
        }
      }
    }
    workgroupBarrier();  // the probabilities are read before the next tile overwrites them
  }

  for (var g = 0u; g < G; g++) {
    scr[(sl * G + g) * D4 + cg] = acc[g];
  }
  workgroupBarrier();
  let row0 = (at.b * p.h + at.kh * G) * p.sq + at.i;  // head g's row: row0 + g·sq
  for (var x = tid; x < G * D4; x += WG) {
    let g = x / D4;
    let c = x % D4;
    var o = vec4<f32>(0.0);
    for (var t = 0u; t < NSL; t++) {
      o += scr[(t * G + g) * D4 + c];
    }
    oPart[((row0 + g * p.sq) * p.splits + at.s) * D4 + c] = o;
  }
  // Constant indices into m and l (an index by tid would put them in local memory for the whole kernel).
  for (var g = 0u; g < G; g++) {
    if (tid == g) {
      ml[(row0 + g * p.sq) * p.splits + at.s] = vec2<f32>(select(m[g] * LN2, NEG, m[g] <= NEG_HALF), l[g]);
    }
  }
  // Folded combine (flashDecodingFastFuse.wgsl): the group's last workgroup merges its partials; or nothing
  // (flashDecodingFastApart.wgsl), the combine kernel running after.
  finish(at.b, at.kh, at.i, at.grp, row0, tid);
}
