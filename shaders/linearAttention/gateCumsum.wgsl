// Cumulative log-decays G_t = Σ_{j=start..t} g_j per (b, h), restarted at every chunk start, for the chunked
// form. One invocation per (b, h, chunk) — per (b, h, chunk, i) for a log-decay vector over K (VEC, RWKV-6's
// w) — walks its chunk in order, reading g once and writing G once. The sum is kept as an unevaluated pair
// hi + lo (two-sum), so differences G_t − G_s inside a long chunk keep their accuracy. (The parallel form
// uses masked segment sums instead: linearAttentionParallel.wgsl.)
// One invocation per linear id ((b·H + h)·NC + n)·lanes + i, folded past 65,535 workgroups; p.count =
// B·H·NC·lanes with lanes = K for VEC, else 1.
@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> g: array<f32>;  // (B, T, H); VEC: (B, T, H, K), (B, H, T, K) if headMajor
@group(0) @binding(2) var<storage, read_write> gHi: array<f32>;  // (B, H, T), VEC: (B, H, T, K)
@group(0) @binding(3) var<storage, read_write> gLo: array<f32>;  // (B, H, T), VEC: (B, H, T, K)

override WG: u32 = 64u;
override VEC: bool = false;

@compute @workgroup_size(WG)
fn main(group: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let id = invocation(group, lid, WG);
  if (id >= p.count) { return; }
  let lanes = select(1u, p.K, VEC);
  let i = id % lanes;
  let n = (id / lanes) % p.NC;
  let bh = id / lanes / p.NC;
  let b = bh / p.H;
  let h = bh % p.H;
  let t0 = n * p.C;
  let t1 = min(t0 + p.C, p.T);
  var hi = 0.0;
  var lo = 0.0;
  for (var t = t0; t < t1; t++) {
    let x = g[laRow(b, h, t) * lanes + i];
    let s = hi + x;
    let bb = s - hi;
    lo += (hi - (s - bb)) + (x - bb);
    hi = s;
    gHi[(bh * p.T + t) * lanes + i] = hi;
    gLo[(bh * p.T + t) * lanes + i] = lo;
  }
}
