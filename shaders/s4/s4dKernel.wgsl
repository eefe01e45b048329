// S4D kernel, step 2 of 2 (the Vandermonde product): Kc[h, l] = Σ_n v[h, n] e^{x[h, n]·l} and
// K[h, l] = scale · Re Kc[h, l] (scale 2 for the implicit conjugate pairs). One workgroup per (block of WG
// positions l, channel h), counted linearly (block fastest) over a grid folded by gridFor; the modes stream
// through workgroup memory in tiles of WG (v and x loaded once per workgroup, 16 bytes per mode), so storage
// traffic is H·N2·16·ceil(L/WG) in and 12·H·L out.
// Each term is computed directly as e^{l·x} (no running powers), so error does not grow with l.
// Needs common/math.wgsl, common/complex.wgsl, common/trace.wgsl, common/grid.wgsl.
// Trace (TRACE on), per workgroup (block of positions l0, channel h; id offset by wgBase, the prep
// workgroups), for each tile of c = min(WG, N2 − n0) modes: TRACE_LOAD v and TRACE_LOAD x (c values,
// 8 bytes each, offset h·N2 + n0), TRACE_COMPUTE on Kc (count c·n terms for the n = min(WG, L − l0) live
// positions, aux: tile index); then TRACE_WRITE K (n values) and TRACE_WRITE Kc (n complex values), both
// from registers. Tensor ids: S4D_TRACE in engine/programs/s4/s4dKernel.ts.

struct Params {
  H: u32,
  N2: u32,
  L: u32,
  scale: f32,
  blocks: u32, // ceil(L / WG)
  count: u32, // blocks * H workgroups
  wgBase: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> v: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(2) var<storage, read> x: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(3) var<storage, read_write> K: array<f32>; // (H, L)
@group(0) @binding(4) var<storage, read_write> Kc: array<vec2<f32>>; // (H, L) complex
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;

// The tile of modes held in workgroup memory is also the workgroup size.
const WG: u32 = 64u;

var<workgroup> vs: array<vec2<f32>, WG>;
var<workgroup> xs: array<vec2<f32>, WG>;

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.count; }

fn workgroupMain(lin: u32, lid: u32) {
  let h = lin / p.blocks;
  let l0 = (lin % p.blocks) * WG;
  let l = l0 + lid;
  let wg = p.wgBase + lin;
  let live = min(WG, p.L - l0);
  let fl = f32(l);
  var acc = vec2<f32>(0.0, 0.0);
  for (var n0 = 0u; n0 < p.N2; n0 += WG) {
    if (n0 + lid < p.N2) {
      vs[lid] = v[h * p.N2 + n0 + lid];
      xs[lid] = x[h * p.N2 + n0 + lid];
    }
    workgroupBarrier();
    let count = min(WG, p.N2 - n0);
    if (TRACE && lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_V, h * p.N2 + n0, count, 8u * count, n0 / WG);
      traceEvent(TRACE_LOAD, wg, T_X, h * p.N2 + n0, count, 8u * count, n0 / WG);
      traceEvent(TRACE_COMPUTE, wg, T_KC, n0, count * live, 0u, n0 / WG);
    }
    for (var j = 0u; j < count; j++) {
      if (l == 0u) {
        acc += vs[j];
      } else {
        acc += cmul(vs[j], cexpAcc(xs[j] * fl));
      }
    }
    workgroupBarrier();
  }
  if (l < p.L) {
    K[h * p.L + l] = p.scale * acc.x;
    Kc[h * p.L + l] = acc;
  }
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_WRITE, wg, T_K, h * p.L + l0, live, 4u * live, 0u);
    traceEvent(TRACE_WRITE, wg, T_KC, h * p.L + l0, live, 8u * live, 0u);
  }
}
