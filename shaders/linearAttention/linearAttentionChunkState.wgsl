// Intra-chunk states of the chunked form: ΔS_n = Σ_{s in chunk n} e^{G_last − G_s} k_s v_sᵀ, a (K, V) matrix
// per (b, h, chunk), with G the log-decay summed from the chunk start (G = 0 without decay). With DECAY 2
// G is a vector over K (RWKV-6's w): ΔS_n = Σ_s diag(e^{G_last − G_s}) k_s v_sᵀ; every exponent is ≤ 0.
// Layout (B, T, H, ·), or (B, H, T, ·) when p.headMajor.
// Tiling: one workgroup per (b, h, chunk, tile of VT value columns). Rows of the chunk are loaded CB at a
// time into workgroup memory (k scaled by its decay weight, and the VT columns of v); the K×VT tile of ΔS
// stays in registers (NACC per invocation) and is written once to storage. k is read once per value tile,
// v once in all.
// The prelude defines KP (= K), VT, CB and NACC (= ceil(K·VT / WG)); p.perHead = NC·nVT workgroups per head.

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> k: array<f32>;  // (B, T, H, K)
@group(0) @binding(2) var<storage, read> v: array<f32>;  // (B, T, H, V)
@group(0) @binding(3) var<storage, read> gHi: array<f32>;  // (B, H, T) G restarted per chunk, DECAY 1; (B, H, T, K) DECAY 2
@group(0) @binding(4) var<storage, read> gLo: array<f32>;  // (B, H, T); (B, H, T, K) DECAY 2
@group(0) @binding(5) var<storage, read_write> states: array<f32>;  // (B, H, NC, K, V): ΔS_n
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;
override DECAY: u32 = 0u;

var<workgroup> ks: array<f32, CB * KP>;  // (CB, K), each row times e^{G_last − G_s}
var<workgroup> vs: array<f32, CB * VT>;  // (CB, VT)

fn lhsAt(i: u32, s: u32) -> f32 {
  return ks[s * p.K + i];
}

fn rhsAt(s: u32, c: u32) -> f32 {
  return vs[s * VT + c];
}

// Entry: common/perWorkgroup.wgsl (workgroupCount() is laCommon's p.count).
fn workgroupMain(lin: u32, lid: u32) {
  let tile = laTile(lin);
  let n = tile.x / p.nVT;
  let v0 = (tile.x % p.nVT) * VT;
  let h = tile.h;
  let b = tile.b;
  let K = p.K;
  let bh = tile.bh;
  let wg = tile.lin;
  let t0 = n * p.C;
  let t1 = min(t0 + p.C, p.T);
  let nv = min(VT, p.V - v0);
  if (lid == 0u) {
    traceEvent(TRACE_CHUNK_PHASE, wg, T_STATES, n, t1 - t0, 0u, PHASE_CHUNK_STATE);
  }
  var gLastHi = 0.0;
  var gLastLo = 0.0;
  if (DECAY == 1u) {
    gLastHi = gHi[bh * p.T + t1 - 1u];
    gLastLo = gLo[bh * p.T + t1 - 1u];
  }
  var acc: array<f32, NACC>;  // zero-initialised
  for (var c0 = t0; c0 < t1; c0 += CB) {
    let nc = min(CB, t1 - c0);
    for (var e = lid; e < nc * K; e += WG) {
      let s = c0 + e / K;
      let i = e % K;
      var w = 1.0;
      if (DECAY == 1u) {
        w = exp((gLastHi - gHi[bh * p.T + s]) + (gLastLo - gLo[bh * p.T + s]));
      } else if (DECAY == 2u) {
        let last = (bh * p.T + t1 - 1u) * K + i;
        let at = (bh * p.T + s) * K + i;
        w = exp((gHi[last] - gHi[at]) + (gLo[last] - gLo[at]));
      }
      ks[e] = w * k[laRow(b, h, s) * K + i];
    }
    for (var e = lid; e < nc * nv; e += WG) {
      vs[(e / nv) * VT + e % nv] = v[laRow(b, h, c0 + e / nv) * p.V + v0 + e % nv];
    }
    if (lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_K, laRow(b, h, c0), nc * K, nc * K * 4u, n);
      traceEvent(TRACE_LOAD, wg, T_V, laRow(b, h, c0), nc * nv, nc * nv * 4u, n);
    }
    workgroupBarrier();
    accumulateTile(&acc, lid, K, nv, nc);  // ΔS[i, c] += Σ_s ks[s, i] vs[s, c]
    workgroupBarrier();
  }
  let base = (bh * p.NC + n) * K * p.V;
  for (var j = 0u; j < NACC; j++) {
    let e = lid + j * WG;
    if (e < K * nv) {
      states[base + (e / nv) * p.V + v0 + e % nv] = acc[j];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_WRITE, wg, T_STATES, base + v0, K * nv, K * nv * 4u, n);
  }
}
