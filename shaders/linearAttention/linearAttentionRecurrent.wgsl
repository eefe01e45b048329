// The recurrent form of (decayed) linear attention: S_t = diag(e^{gk_t}) e^{g_t} S_{t−1} + k_t v_tᵀ,
// o_t = s·q_tᵀ S_t, one time step after another.
// Tiling: one workgroup per (b, h, tile of WG value columns); each invocation owns one column S[:, v] of the
// state (K values) in private memory (registers) for the whole sequence. Blocks of TB time steps of q, k
// (and the gate) are loaded once into workgroup memory and shared by the WG columns; v and o are read and
// written straight from/to storage, once per element. S0 is read once and S_T written once.
// The prelude defines KP (= K) and TB (time steps per block; 3·TB·KP·4 bytes of workgroup memory);
// p.perHead = ceil(V / WG) column tiles per head.

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> q: array<f32>;  // (B, T, H, K)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (B, T, H, K)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (B, T, H, V)
@group(0) @binding(4) var<storage, read> gate: array<f32>;  // GATE 1: g (B, T, H); GATE 2: gk (B, T, H, K)
@group(0) @binding(5) var<storage, read> s0: array<f32>;  // (B, H, K, V), read when hasS0
@group(0) @binding(6) var<storage, read_write> o: array<f32>;  // (B, T, H, V)
@group(0) @binding(7) var<storage, read_write> sT: array<f32>;  // (B, H, K, V)

override WG: u32 = 64u;
// 0: no decay (linear attention), 1: scalar log-decay g per (t, h), 2: log-decay vector gk over K (GLA).
override GATE: u32 = 0u;

var<workgroup> qs: array<f32, TB * KP>;  // (TB, K)
var<workgroup> ks: array<f32, TB * KP>;  // (TB, K)
var<workgroup> gs: array<f32, TB * KP>;  // (TB, K) for GATE 2, (TB,) for GATE 1

// Entry: common/perWorkgroup.wgsl (workgroupCount() is laCommon's p.count).
fn workgroupMain(lin: u32, lid: u32) {
  let tile = laTile(lin);
  let h = tile.h;
  let b = tile.b;
  let col = tile.x * WG + lid;
  let live = col < p.V;
  let K = p.K;
  var S: array<f32, KP>;  // S[:, col]
  let so = ((b * p.H + h) * K) * p.V + col;
  for (var i = 0u; i < K; i++) {
    S[i] = 0.0;
    if (live && p.hasS0 != 0u) {
      S[i] = s0[so + i * p.V];
    }
  }
  for (var t0 = 0u; t0 < p.T; t0 += TB) {
    let nb = min(TB, p.T - t0);
    for (var e = lid; e < nb * K; e += WG) {
      let src = ((b * p.T + t0 + e / K) * p.H + h) * K + e % K;
      qs[e] = q[src];
      ks[e] = k[src];
      if (GATE == 2u) {
        gs[e] = exp(gate[src]);
      }
    }
    if (GATE == 1u) {
      for (var e = lid; e < nb; e += WG) {
        gs[e] = exp(gate[(b * p.T + t0 + e) * p.H + h]);
      }
    }
    workgroupBarrier();
    if (live) {
      for (var tt = 0u; tt < nb; tt++) {
        let row = (b * p.T + t0 + tt) * p.H + h;
        let vt = v[row * p.V + col];
        var acc = 0.0;
        for (var i = 0u; i < K; i++) {
          var d = 1.0;
          if (GATE == 1u) {
            d = gs[tt];
          } else if (GATE == 2u) {
            d = gs[tt * K + i];
          }
          S[i] = d * S[i] + ks[tt * K + i] * vt;
          acc += qs[tt * K + i] * S[i];
        }
        o[row * p.V + col] = p.scale * acc;
      }
    }
    workgroupBarrier();
  }
  if (live) {
    for (var i = 0u; i < K; i++) {
      sT[so + i * p.V] = S[i];
    }
  }
}
