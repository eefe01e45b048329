// The selective scan's inputs as the three scan kernels see them (selectiveScanChunked,
// selectiveScanSequential, selectiveScanLevels): the shape-and-packing uniform `p`, the three packed input
// buffers at bindings 0..3, and the reads all three make. Structs, bindings 0..3 and functions only; each
// kernel declares its own outputs (and its own work uniform) from binding 4. Needs common/math.wgsl.
// Packing (engine/programs/mamba/common.ts packScan), at most 8 storage buffers per kernel in all:
//   seq  = u | δ | z, each (batch, D, L): δ at offDelta, z at offZ (when hasZ)
//   bc   = B, then C at offC: each (D, N[, 2]) when fixed, (batch, G, N, L[, 2]) when variable
//   chan = A (D, N, 2) | D (D,) | delta_bias (D,)
// B_t[n] of channel d in batch b sits at bBatch·b + bGroup·(d / bPerGroup) + bState·n + bTime·t of bc: the
// strides of B by batch, group, state n and time t, and bPerGroup channels d per group (fixed B: bBatch =
// bTime = 0). C likewise with the c* fields, from offC. softplusOn: δ' = softplus(δ + delta_bias).

struct ScanParams {
  batch: u32,
  D: u32,
  L: u32,
  N: u32,
  softplusOn: u32,
  hasZ: u32,
  offDelta: u32,
  offZ: u32,
  offC: u32,
  bBatch: u32,
  bGroup: u32,
  bState: u32,
  bTime: u32,
  bPerGroup: u32,
  cBatch: u32,
  cGroup: u32,
  cState: u32,
  cTime: u32,
  cPerGroup: u32,
}

@group(0) @binding(0) var<uniform> p: ScanParams;
@group(0) @binding(1) var<storage, read> seq: array<f32>;  // u (B, D, L) | δ (B, D, L) | z (B, D, L)
@group(0) @binding(2) var<storage, read> bc: array<f32>;  // B then C at offC; (D, N[, 2]) or (B, G, N, L[, 2])
@group(0) @binding(3) var<storage, read> chan: array<f32>;  // A (D, N, 2) | D (D,) | delta_bias (D,)

override COMPLEX: bool = false;

/** Values per state: 2 for complex A, else 1. */
fn cx() -> u32 {
  return select(1u, 2u, COMPLEX);
}

/** B_t[n] or C_t[n] at bc[base] (and base + 1 for complex A). */
fn loadPair(base: u32) -> vec2<f32> {
  if (COMPLEX) {
    return vec2<f32>(bc[base], bc[base + 1u]);
  }
  return vec2<f32>(bc[base], 0.0);
}

/** Where B of channel d in batch b starts in bc (add bState·n + bTime·t). */
fn bStart(b: u32, d: u32) -> u32 {
  return b * p.bBatch + (d / p.bPerGroup) * p.bGroup;
}

/** Where C of channel d in batch b starts in bc (add cState·n + cTime·t). */
fn cStart(b: u32, d: u32) -> u32 {
  return p.offC + b * p.cBatch + (d / p.cPerGroup) * p.cGroup;
}

/** A[d, n] as (re, im). */
fn aAt(d: u32, n: u32) -> vec2<f32> {
  return vec2<f32>(chan[2u * (d * p.N + n)], chan[2u * (d * p.N + n) + 1u]);
}

/** u_t of row bd = b·D + d. */
fn uAt(bd: u32, t: u32) -> f32 {
  return seq[bd * p.L + t];
}

/** δ'_t of row bd = b·D + d, channel d: δ + delta_bias, through softplus when softplusOn. */
fn deltaAt(bd: u32, t: u32, d: u32) -> f32 {
  let dr = seq[p.offDelta + bd * p.L + t] + chan[2u * p.D * p.N + p.D + d];
  return select(dr, softplus(dr), p.softplusOn != 0u);
}

/** out_t = (y_t + u_t D_d) · silu(z_t), the gate only when hasZ. */
fn gatedOut(y: f32, bd: u32, t: u32, u: f32, d: u32) -> f32 {
  var o = y + u * chan[2u * p.D * p.N + d];
  if (p.hasZ != 0u) {
    o *= silu(seq[p.offZ + bd * p.L + t]);
  }
  return o;
}
