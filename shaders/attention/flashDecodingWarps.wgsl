// flashDecodingFast's split pass in its "warps" form: the same grid, partials and finish as
// flashDecodingFast.wgsl (one workgroup per (batch, KV head, query row, split) serving the G query heads of
// its KV head), but each subgroup walks its own keys with its own online softmax, so the key loop has no
// barrier at all (run G1 blamed the tiles form's five barriers a tile for its split pass's 0.034 ms at KV
// 16K with no K or V read; run I found this form no faster there, and faster to 4K: BENCHMARKS.md). The
// subgroups meet once, at the end, in workgroup memory.
// A step of subgroup w covers KS = KG·KPL consecutive keys j0 … j0 + KS − 1, j0 = start + (t·NW + w)·KS, so
// the NW subgroups of a workgroup read NW·KS consecutive keys a step:
//   scores: LPK consecutive lanes own a key (KG = SG / LPK keys at once, KPL passes e: keys kq + KG·e),
//           lane part = lane % LPK its vec4 columns part, + LPK, … (CPL of them), LPK·16 contiguous bytes a
//           load; the G partial dot products are added over the LPK lanes by butterfly shuffles. q (times
//           scale·log2 e, so the softmax runs on exp2) is read from workgroup memory (LPK addresses a read).
//   softmax: the step's max per head by subgroupMax; the running (m, l, O) of the subgroup rescaled by
//           exp2(m − m'); each lane keeps its own share of l (its keys, counted on part 0) until the end.
//   PV:     lane (c = lane % NC, kg = lane / NC) accumulates vec4 columns c, + NC, … (CPV of them) of the G
//           heads over keys kg + KHL·u (u < PVK), so a load of the subgroup reads KHL whole V rows; a key's
//           G probabilities come from its score lane by subgroupShuffle (KHL divides KG, so the pass e of
//           key kg + KHL·u is u / (KG / KHL) on every lane: the shuffled expression is the same on all).
// A lane holds KPL·CPL vec4 of K and PVK·CPV of V a step: KPL trades registers a lane (so subgroups resident
// a core) against the step's max reductions. With EARLY_V a step's V loads are issued with its K loads,
// before the scores (more registers a lane).
// At the end each subgroup adds its key groups' O (xor shuffles), leaves (m, l) and O of its G heads in
// workgroup memory, and the workgroup merges its NW subgroups by log-sum-exp into the split's partial, in
// flashDecoding's layout ((m, l) with m in natural-log units, −3e38 where no key was visible; unnormalised
// O), then calls finish (flashDecodingFastFuse.wgsl: the combine folded in; or flashDecodingFastApart.wgsl).
// Subgroup w is invocations w·SG … w·SG + SG − 1 (the program checks one subgroup size that divides WG, as
// for flashDecodingFastSg.wgsl). The prelude sets WG, SG, NW, D, D4, G, LPK, KG, KPL, KS, CPL, NC, KHL, CPV, PVK,
// NSL (= WG / D4, for finish), SCR and EARLY_V; the bindings come from flashDecodingFastBindings.wgsl. Needs `enable subgroups`. p.count = b·h_k·sq·splits
// workgroups on a folded grid (common/grid.wgsl).

// q of the group's heads times scale·log2 e, column x of head g at [g][x / LPK][x % LPK]: a lane reads
// [g][u][part] with g and u constants of unrolled loops, so Dawn's bounds clamp falls on part alone, once.
var<workgroup> qs: array<array<array<vec4<f32>, LPK>, CPL>, G>;
// Each subgroup's O, (NW, G, D/4); then finish's slices, (NSL, G, D/4).
var<workgroup> scr: array<vec4<f32>, SCR>;
var<workgroup> wml: array<vec2<f32>, NW * G>;  // (NW, G) each subgroup's (m, l), m in log2 units

@compute @workgroup_size(WG)
fn main(
  wg: Workgroups,
  @builtin(local_invocation_index) tid: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before any barrier
  let at = kvSplitOf(wid);
  let qScale = p.scale * LOG2E;
  let w = tid / SG;
  let part = lane % LPK;
  let kq = lane / LPK;
  let c = lane % NC;
  let kg = lane / NC;
  var acc: array<array<vec4<f32>, CPV>, G>;
  var m: array<f32, G>;
  var l: array<f32, G>;  // this lane's share of the running sum
  for (var g = 0u; g < G; g++) {
    for (var cc = 0u; cc < CPV; cc++) {
      acc[g][cc] = vec4<f32>(0.0);
    }
    m[g] = NEG;
    l[g] = 0.0;
  }
  // Uniform across the workgroup, so the one barrier inside (the first step's) is in uniform control flow.
  let steps = (at.end - at.start + NW * KS - 1u) / (NW * KS);
  for (var t = 0u; t < steps; t++) {
    let j0 = at.start + (t * NW + w) * KS;
    // A key past the split is read at the split's last row and masked (K) or weighted 0 (V).
    var kr: array<array<vec4<f32>, CPL>, KPL>;
    for (var e = 0u; e < KPL; e++) {
      let ko = kvAt(at.b, min(j0 + kq + e * KG, at.end - 1u), at.kh) / 4u + part;
      for (var u = 0u; u < CPL; u++) {
        kr[e][u] = k[ko + u * LPK];
      }
    }
    var vr: array<array<vec4<f32>, CPV>, PVK>;
    if (EARLY_V) {
      for (var u = 0u; u < PVK; u++) {
        let vo = kvAt(at.b, min(j0 + kg + u * KHL, at.end - 1u), at.kh) / 4u + c;
        for (var cc = 0u; cc < CPV; cc++) {
          vr[u][cc] = v[vo + cc * NC];
        }
      }
    }
    // q is staged once, after the first step's loads are on their way (t == 0 is uniform).
    if (t == 0u) {
      for (var x = tid; x < G * D4; x += WG) {
        let col = x % D4;
        qs[x / D4][col / LPK][col % LPK] = q[qAt(at.b, at.i, at.kh * G + x / D4) / 4u + col] * qScale;
      }
      workgroupBarrier();
    }
    var sc: array<array<f32, G>, KPL>;
    var tmax: array<f32, G>;
    for (var g = 0u; g < G; g++) {
      tmax[g] = NEG;
    }
    for (var e = 0u; e < KPL; e++) {
      var dt: array<f32, G>;
      for (var g = 0u; g < G; g++) {
        dt[g] = 0.0;
        for (var u = 0u; u < CPL; u++) {
          dt[g] += dot(kr[e][u], qs[g][u][part]);
        }
      }
      for (var off = LPK / 2u; off > 0u; off = off >> 1u) {
        for (var g = 0u; g < G; g++) {
          dt[g] += subgroupShuffleXor(dt[g], off);
        }
      }
      let j = j0 + kq + e * KG;
      let live = j < at.end && visible(at.i, j);
      for (var g = 0u; g < G; g++) {
        sc[e][g] = select(NEG, dt[g], live);
        tmax[g] = max(tmax[g], sc[e][g]);
      }
    }
    var mUse: array<f32, G>;
    for (var g = 0u; g < G; g++) {
      let mNew = max(m[g], subgroupMax(tmax[g]));
      mUse[g] = select(mNew, 0.0, mNew <= NEG_HALF);
      let alpha = exp2(m[g] - mUse[g]);  // 0 while nothing was visible (m = NEG)
      m[g] = mNew;
      l[g] *= alpha;
      for (var cc = 0u; cc < CPV; cc++) {
        acc[g][cc] *= alpha;
      }
    }
    // The LPK lanes of a key hold the same score and probability; part 0 counts it.
    var pr: array<array<f32, G>, KPL>;
    for (var e = 0u; e < KPL; e++) {
      for (var g = 0u; g < G; g++) {
        pr[e][g] = select(exp2(sc[e][g] - mUse[g]), 0.0, sc[e][g] <= NEG_HALF);
        l[g] += select(0.0, pr[e][g], part == 0u);
      }
    }
    if (!EARLY_V) {
      for (var u = 0u; u < PVK; u++) {
        let vo = kvAt(at.b, min(j0 + kg + u * KHL, at.end - 1u), at.kh) / 4u + c;
        for (var cc = 0u; cc < CPV; cc++) {
          vr[u][cc] = v[vo + cc * NC];
        }
      }
    }
    for (var u = 0u; u < PVK; u++) {
      let e = u / (KG / KHL);
      let src = ((kg + u * KHL) % KG) * LPK;
      for (var g = 0u; g < G; g++) {
        let pg = subgroupShuffle(pr[e][g], src);
        for (var cc = 0u; cc < CPV; cc++) {
          acc[g][cc] = fma(vec4<f32>(pg), vr[u][cc], acc[g][cc]);
        }
      }
    }
  }

  // The subgroup's O: its KHL key groups added; key group 0 writes it, lane 0 the (m, l).
  for (var g = 0u; g < G; g++) {
    let lw = subgroupAdd(l[g]);
    for (var off = NC; off < SG; off = off << 1u) {
      for (var cc = 0u; cc < CPV; cc++) {
        acc[g][cc] += subgroupShuffleXor(acc[g][cc], off);
      }
    }
    if (kg == 0u) {
      for (var cc = 0u; cc < CPV; cc++) {
        scr[(w * G + g) * D4 + c + cc * NC] = acc[g][cc];
      }
    }
    if (lane == 0u) {
      wml[w * G + g] = vec2<f32>(m[g], lw);
    }
  }
  workgroupBarrier();
  let row0 = (at.b * p.h + at.kh * G) * p.sq + at.i;  // head g's row: row0 + g·sq
  for (var x = tid; x < G * D4; x += WG) {
    let g = x / D4;
    let col = x % D4;
    var mx = NEG;
    for (var u = 0u; u < NW; u++) {
      mx = max(mx, wml[u * G + g].x);
    }
    let mU = select(mx, 0.0, mx <= NEG_HALF);
    var o = vec4<f32>(0.0);
    var lt = 0.0;
    for (var u = 0u; u < NW; u++) {
      let f = wml[u * G + g];
      let a = exp2(f.x - mU);  // 0 for a subgroup that saw no key
      o += a * scr[(u * G + g) * D4 + col];
      lt += a * f.y;
    }
    let slot = (row0 + g * p.sq) * p.splits + at.s;
    oPart[slot * D4 + col] = o;
    if (col == 0u) {
      ml[slot] = vec2<f32>(select(mx * LN2, NEG, mx <= NEG_HALF), lt);
    }
  }
  finish(at.b, at.kh, at.i, at.grp, row0, tid);
}
