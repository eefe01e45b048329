// FlashDecoding, kernel 1 of 2, on subgroups: one workgroup per (batch, KV head, query row, split) serves
// all G = h / h_k query heads that share the KV head (GQA), so each K and V row of the split is read from
// storage once, not once per query head. Needs `enable subgroups` (KernelSpec.enable), a fixed subgroup size SG
// and DPL = ceil(D / SG) columns per lane (the program checks the adapter has one size).
// Work: the workgroup's NSG = WG / SG subgroups take the split's keys in turn, KPI at a time. For a key,
//   lane l reads columns l, l + SG, ... of K_j and V_j (a subgroup reads each row as contiguous bytes), the
//   score of every head is a subgroupAdd of the lanes' partial dots (q is pre-scaled), and each head's
//   online softmax (m, l, O) is updated in registers; no barrier inside the key loop.
// Then the subgroups' partials meet in workgroup memory (one barrier) and merge by log-sum-exp into the
// split's partial per head, in the layout the combine kernel reads: m, l (b, h, sq, splits, 2) and the
// unnormalised O (b, h, sq, splits, d). Traffic: q (G·D) once, K and V of the split once, partials once.
// p.count = b·h_k·sq·splits workgroups on a folded grid (common/grid.wgsl). The prelude sets WG, D, SG,
// DPL, G, KPI.

@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> ml: array<f32>;  // (b, h, sq, splits, 2): m, l
@group(0) @binding(5) var<storage, read_write> oPart: array<f32>;  // (b, h, sq, splits, d)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;  // declared for common/trace.wgsl; never traced

const NSG: u32 = WG / SG;

var<workgroup> wm: array<f32, NSG * G>;  // (NSG, G) each subgroup's running max per head
var<workgroup> wl: array<f32, NSG * G>;  // (NSG, G) its running sum
var<workgroup> wo: array<f32, NSG * G * D>;  // (NSG, G, D) its unnormalised O

@compute @workgroup_size(WG)
fn main(
  wg: Workgroups,
  @builtin(local_invocation_index) tid: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before the barrier
  let at = kvSplitOf(wid);
  let sg = tid / SG;

  var qv: array<array<f32, DPL>, G>;
  var m: array<f32, G>;
  var l: array<f32, G>;
  var acc: array<array<f32, DPL>, G>;
  for (var g = 0u; g < G; g++) {
    let qo = qAt(at.b, at.i, at.kh * G + g);
    for (var u = 0u; u < DPL; u++) {
      let c = lane + u * SG;
      qv[g][u] = select(0.0, q[qo + min(c, D - 1u)] * p.scale, c < D);
      acc[g][u] = 0.0;
    }
    m[g] = NEG;
    l[g] = 0.0;
  }
  // The loop bounds are the workgroup's (uniform, so subgroupAdd sits in uniform control flow); subgroup
  // sg takes keys j0 + sg·KPI + e, and a key past the split or masked is simply not live.
  for (var j0 = at.start; j0 < at.end; j0 += NSG * KPI) {
    var kv: array<array<f32, DPL>, KPI>;
    var vv: array<array<f32, DPL>, KPI>;
    var live: array<bool, KPI>;
    for (var e = 0u; e < KPI; e++) {
      let j = j0 + sg * KPI + e;
      live[e] = j < at.end && visible(at.i, j);
      let ko = kvAt(at.b, min(j, p.sk - 1u), at.kh);
      for (var u = 0u; u < DPL; u++) {
        let c = lane + u * SG;
        let ok = live[e] && c < D;
        kv[e][u] = select(0.0, k[ko + min(c, D - 1u)], ok);
        vv[e][u] = select(0.0, v[ko + min(c, D - 1u)], ok);
      }
    }
    for (var g = 0u; g < G; g++) {
      var sc: array<f32, KPI>;
      var mNew = m[g];
      for (var e = 0u; e < KPI; e++) {
        var part = 0.0;
        for (var u = 0u; u < DPL; u++) {
          part += qv[g][u] * kv[e][u];
        }
        sc[e] = select(NEG, subgroupAdd(part), live[e]);
        mNew = max(mNew, sc[e]);
      }
      let mUse = select(mNew, 0.0, mNew <= NEG_HALF);
      let alpha = exp(m[g] - mUse);  // 0 while nothing was visible (m = NEG)
      var pe: array<f32, KPI>;
      var lAdd = 0.0;
      for (var e = 0u; e < KPI; e++) {
        pe[e] = select(exp(sc[e] - mUse), 0.0, sc[e] <= NEG_HALF);
        lAdd += pe[e];
      }
      l[g] = alpha * l[g] + lAdd;
      m[g] = mNew;
      for (var u = 0u; u < DPL; u++) {
        var o = alpha * acc[g][u];
        for (var e = 0u; e < KPI; e++) {
          o += pe[e] * vv[e][u];
        }
        acc[g][u] = o;
      }
    }
  }
  for (var g = 0u; g < G; g++) {
    let slot = sg * G + g;
    if (lane == 0u) {
      wm[slot] = m[g];
      wl[slot] = l[g];
    }
    for (var u = 0u; u < DPL; u++) {
      let c = lane + u * SG;
      if (c < D) {
        wo[slot * D + c] = acc[g][u];
      }
    }
  }
  workgroupBarrier();
  // Merge the subgroups: invocation t takes outputs (g, c) = t, t + WG, ... of the G·D.
  for (var gc = tid; gc < G * D; gc += WG) {
    let g = gc / D;
    let c = gc % D;
    var M = NEG;
    for (var t = 0u; t < NSG; t++) {
      M = max(M, wm[t * G + g]);
    }
    let mUse = select(M, 0.0, M <= NEG_HALF);
    var L = 0.0;
    var O = 0.0;
    for (var t = 0u; t < NSG; t++) {
      let w = exp(wm[t * G + g] - mUse);
      L += w * wl[t * G + g];
      O += w * wo[(t * G + g) * D + c];
    }
    let part = (((at.b * p.h + at.kh * G + g) * p.sq + at.i) * p.splits) + at.s;
    oPart[part * D + c] = O;
    if (c == 0u) {
      ml[part * 2u] = M;
      ml[part * 2u + 1u] = L;
    }
  }
}
