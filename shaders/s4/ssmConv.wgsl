// Direct causal convolution, S4 convention: y[b,h,k] = sum_{j=0..k} K[h,j] * u[b,h,k-j]. O(L^2) work: the
// baseline the FFT convolution is compared against.
// Tiling: one workgroup per (block of WG outputs k0 .. k0+WG-1, row b·H + h), one invocation per output;
// the workgroups are counted linearly (block fastest) over a grid folded by gridFor, so B·H may pass 65535.
// The taps j run in tiles of WG (j0 = 0, WG, ... up to the block's last output): each tile stages K[h, j0 ..
// j0+WG) and the 2·WG−1 inputs u[b, h, k0−j0−WG+1 .. k0−j0+WG−1] it pairs them with in workgroup memory,
// so a block loads about (k0/WG + 1)·3·WG values instead of WG·(k0 + WG) per tensor; every invocation then
// sums its taps of the tile in increasing j (the same order as the untiled sum). y is written once.
// Trace (TRACE on), per workgroup, for each tap tile (aux: tile index j0/WG): TRACE_LOAD K (offset h·L + j0,
// min(WG, L−j0) values), TRACE_LOAD u (offset of the first in-range input of the window, its in-range
// count), TRACE_COMPUTE on y (count: the multiply-adds of the tile over the n = min(WG, L−k0) outputs,
// WG·n for tiles left of the block, n(n+1)/2 for the diagonal tile j0 = k0); then TRACE_WRITE y (n values,
// from registers). Tensor ids: SSM_CONV_TRACE in engine/programs/s4/ssmConv.ts.
// Needs common/trace.wgsl, common/grid.wgsl.

struct Params {
  B: u32,
  H: u32,
  L: u32,
  blocks: u32, // ceil(L / WG)
  count: u32, // blocks * B * H workgroups
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> K: array<f32>;  // (H, L)
@group(0) @binding(2) var<storage, read> u: array<f32>;  // (B, H, L)
@group(0) @binding(3) var<storage, read_write> y: array<f32>;  // (B, H, L)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

var<workgroup> Ks: array<f32, WG>;  // (WG,) K[h, j0 + i]
var<workgroup> us: array<f32, 2u * WG>;  // (2 WG,) u[b, h, k0 − j0 − WG + 1 + i], i < 2 WG − 1

fn traceTile(wg: u32, ko: u32, uo: u32, k0: u32, j0: u32, n: u32) {
  let tile = j0 / WG;
  let nk = min(WG, p.L - j0);
  traceEvent(TRACE_LOAD, wg, T_K, ko + j0, nk, 4u * nk, tile);
  // Window [k0 − j0 − WG + 1, k0 − j0 + WG − 1] clipped to [0, L); j0 <= k0, so its top is >= 0.
  let lo = select(0u, k0 - j0 - WG + 1u, k0 >= j0 + WG);
  let hi = min(p.L - 1u, k0 - j0 + WG - 1u);
  traceEvent(TRACE_LOAD, wg, T_U, uo + lo, hi - lo + 1u, 4u * (hi - lo + 1u), tile);
  let macs = select(WG * n, n * (n + 1u) / 2u, j0 == k0);
  traceEvent(TRACE_COMPUTE, wg, T_Y, j0, macs, 0u, tile);
}

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.count; }

fn workgroupMain(wg: u32, lid: u32) {
  let bh = wg / p.blocks;
  let k0 = (wg % p.blocks) * WG;
  let k = k0 + lid;
  let kEnd = min(p.L, k0 + WG);
  let h = bh % p.H;
  let uo = bh * p.L;
  let ko = h * p.L;
  var s = 0.0;
  for (var j0 = 0u; j0 < kEnd; j0 += WG) {
    let jj = j0 + lid;
    Ks[lid] = 0.0;
    if (jj < p.L) {
      Ks[lid] = K[ko + jj];
    }
    for (var i = lid; i < 2u * WG - 1u; i += WG) {
      let q = i32(k0) - i32(j0) - i32(WG) + 1 + i32(i);
      us[i] = 0.0;
      if (q >= 0 && q < i32(p.L)) {
        us[i] = u[uo + u32(q)];
      }
    }
    workgroupBarrier();
    if (TRACE && lid == 0u) {
      traceTile(wg, ko, uo, k0, j0, kEnd - k0);
    }
    if (k < p.L) {
      let jmax = min(j0 + WG, k + 1u);
      for (var j = j0; j < jmax; j++) {
        s += Ks[j - j0] * us[lid + WG - 1u - (j - j0)];
      }
    }
    workgroupBarrier();
  }
  if (k < p.L) {
    y[uo + k] = s;
  }
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_WRITE, wg, T_Y, uo + k0, kEnd - k0, 4u * (kEnd - k0), 0u);
  }
}
