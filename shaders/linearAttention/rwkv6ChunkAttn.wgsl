// RWKV-6 chunked form, intra-chunk pass: the attention-like matrix of every chunk and the decayed queries.
// For t, s in chunk n (start c0), G the log decay summed over K from the chunk start (hi + lo, gateCumsum)
// and G_{c0−1} = 0:
//   A[t, s] = Σ_i q_t[i] k_s[i] e^{G_{t−1}[i] − G_s[i]}  for s < t  (every exponent Σ_{j=s+1..t−1} w_j ≤ 0),
//   A[t, t] = Σ_i q_t[i] u[i] k_t[i]  (the bonus of the current token),  A[t, s] = 0 for s > t;
//   q̃_t = q_t ∘ e^{G_{t−1}}  (exponent ≤ 0), which reads S_before(n) in the output pass.
// Each exponent is a difference inside one chunk, computed in log space and never positive: no e^{large}.
// Tiling: none — one invocation per (t, s) element of the (T, C) matrix of a head, reading its query row and
// key row (K values each, with their G) straight from storage; neighbours share them through the cache.
// The invocation of s = c0 also writes q̃_t. p.perHead = ceil(T·C / WG) workgroups per head.

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> q: array<f32>;  // (B, H, T, K)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (B, H, T, K)
@group(0) @binding(3) var<storage, read> gHi: array<f32>;  // (B, H, T, K) G restarted per chunk, high part
@group(0) @binding(4) var<storage, read> gLo: array<f32>;  // (B, H, T, K) low part
@group(0) @binding(5) var<storage, read> u: array<f32>;  // (H, K)
@group(0) @binding(6) var<storage, read_write> attn: array<f32>;  // (B, H, T, C) A[t, c0 + c]
@group(0) @binding(7) var<storage, read_write> qd: array<f32>;  // (B, H, T, K) q̃
@group(0) @binding(8) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

/** G_{t−1}[i] as (hi, lo): zero at the chunk start. */
fn gPrev(bh: u32, t: u32, c0: u32, i: u32) -> vec2<f32> {
  if (t == c0) {
    return vec2<f32>(0.0, 0.0);
  }
  let at = (bh * p.T + t - 1u) * p.K + i;
  return vec2<f32>(gHi[at], gLo[at]);
}

// Entry: common/perWorkgroup.wgsl (workgroupCount() is laCommon's p.count).
fn workgroupMain(lin: u32, lid: u32) {
  let tile = laTile(lin);
  let bh = tile.bh;
  let K = p.K;
  let e0 = tile.x * WG;
  if (lid == 0u && e0 < p.T * p.C) {
    let n = min(WG, p.T * p.C - e0);
    traceEvent(TRACE_CHUNK_PHASE, tile.lin, T_ATTN, e0 / p.C / p.C, n, 0u, PHASE_INTRA_CHUNK);
    traceEvent(TRACE_WRITE, tile.lin, T_ATTN, bh * p.T * p.C + e0, n, n * 4u, e0 / p.C / p.C);
  }
  let e = e0 + lid;
  if (e >= p.T * p.C) { return; }
  let t = e / p.C;
  let c0 = (t / p.C) * p.C;
  let s = c0 + e % p.C;
  let qr = (bh * p.T + t) * K;
  var a = 0.0;
  if (s == t) {
    for (var i = 0u; i < K; i++) {
      a += q[qr + i] * u[tile.h * K + i] * k[qr + i];
    }
  } else if (s < t) {
    let kr = (bh * p.T + s) * K;
    for (var i = 0u; i < K; i++) {
      let g = gPrev(bh, t, c0, i);
      a += q[qr + i] * k[kr + i] * exp((g.x - gHi[kr + i]) + (g.y - gLo[kr + i]));
    }
  }
  attn[e + bh * p.T * p.C] = a;
  if (s == c0) {
    for (var i = 0u; i < K; i++) {
      let g = gPrev(bh, t, c0, i);
      qd[qr + i] = q[qr + i] * exp(g.x + g.y);
    }
  }
}
