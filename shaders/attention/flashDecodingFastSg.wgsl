// The reductions of attention/flashDecodingFast.wgsl on subgroups. laneSum: a key's partial dot products
// summed over its LPK consecutive lanes by butterfly shuffles (LPK divides SG). headsMax, headsSum: every
// invocation gives one value per head; subgroupMax / subgroupAdd reduce each subgroup, its first lane
// leaves the G results in workgroup memory, and every invocation folds the NSG = WG / SG subgroups' values
// (two barriers, the second so the next call may overwrite them). Subgroup s is invocations s·SG … s·SG + SG − 1 (the program
// checks the adapter has one subgroup size that divides WG). Needs `enable subgroups`; its twin
// flashDecodingFastShared.wgsl does the same in workgroup memory. Call from uniform control flow only.

const NSG: u32 = WG / SG;

var<workgroup> red: array<f32, NSG * G>;  // (NSG, G) each subgroup's value per head

fn foldSubgroups(y: array<f32, G>, tid: u32, isMax: bool) -> array<f32, G> {
  if (tid % SG == 0u) {
    for (var g = 0u; g < G; g++) {
      red[(tid / SG) * G + g] = y[g];
    }
  }
  workgroupBarrier();
  var r: array<f32, G>;
  for (var g = 0u; g < G; g++) {
    var a = red[g];
    for (var t = 1u; t < NSG; t++) {
      let x = red[t * G + g];
      a = select(a + x, max(a, x), isMax);
    }
    r[g] = a;
  }
  workgroupBarrier();
  return r;
}

fn headsMax(x: array<f32, G>, tid: u32) -> array<f32, G> {
  var y: array<f32, G>;
  for (var g = 0u; g < G; g++) {
    y[g] = subgroupMax(x[g]);
  }
  return foldSubgroups(y, tid, true);
}

fn headsSum(x: array<f32, G>, tid: u32) -> array<f32, G> {
  var y: array<f32, G>;
  for (var g = 0u; g < G; g++) {
    y[g] = subgroupAdd(x[g]);
  }
  return foldSubgroups(y, tid, false);
}

fn laneSum(x: array<f32, G>) -> array<f32, G> {
  var y = x;
  for (var off = LPK / 2u; off > 0u; off = off >> 1u) {
    for (var g = 0u; g < G; g++) {
      y[g] += subgroupShuffleXor(y[g], off);
    }
  }
  return y;
}
