// Gated RMSNorm (mamba layernorm_gated.rms_norm_ref, upcast): per group of groupSize contiguous features
// of a row, with g = silu(z) where z is given: v = x·g first when normBeforeGate is 0, then
// out = v / sqrt(mean(v²) + eps) · weight (+ bias), then out·g when normBeforeGate is 1.
// Tiling: one workgroup of WG invocations per (row, group). Pass 1 strides over the group's features,
// each invocation summing its squares in a register; a tree reduction in workgroup memory (WG floats)
// gives mean(v²). Pass 2 reads x (and z) again, the lines still in cache, and writes each output once.
// Storage traffic: x and z read twice, weight and bias once per row, out written once. The (row, group)
// grid may be folded (engine/gpu/grid.ts): a workgroup past count returns, the whole workgroup together,
// before any barrier.

struct Params {
  F: u32,
  groupSize: u32,
  groups: u32,
  count: u32,
  eps: f32,
  hasZ: u32,
  normBeforeGate: u32,
  hasBias: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (rows, F)
@group(0) @binding(2) var<storage, read> z: array<f32>;  // (rows, F), or a placeholder
@group(0) @binding(3) var<storage, read> weight: array<f32>;  // (F,)
@group(0) @binding(4) var<storage, read> bias: array<f32>;  // (F,), or a placeholder
@group(0) @binding(5) var<storage, read_write> outBuf: array<f32>;  // (rows, F)

override WG: u32 = 64u;

var<workgroup> partial: array<f32, WG>;

fn gateOf(i: u32) -> f32 {
  if (p.hasZ == 0u) {
    return 1.0;
  }
  return silu(z[i]);
}

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.count; }

fn workgroupMain(lin: u32, li: u32) {
  let row = lin / p.groups;
  let f0 = (lin % p.groups) * p.groupSize;
  let base = row * p.F + f0;
  let gateFirst = p.hasZ != 0u && p.normBeforeGate == 0u;
  var ss = 0.0;
  for (var f = li; f < p.groupSize; f += WG) {
    var v = x[base + f];
    if (gateFirst) {
      v *= gateOf(base + f);
    }
    ss += v * v;
  }
  partial[li] = ss;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (li < s) {
      partial[li] += partial[li + s];
    }
    workgroupBarrier();
  }
  let r = 1.0 / sqrt(partial[0] / f32(p.groupSize) + p.eps);
  for (var f = li; f < p.groupSize; f += WG) {
    let i = base + f;
    var v = x[i];
    if (gateFirst) {
      v *= gateOf(i);
    }
    var o = v * r * weight[f0 + f];
    if (p.hasBias != 0u) {
      o += bias[f0 + f];
    }
    if (p.hasZ != 0u && p.normBeforeGate != 0u) {
      o *= gateOf(i);
    }
    outBuf[i] = o;
  }
}
