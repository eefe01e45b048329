// The quadratic (parallel) form of decayed linear attention, and the output step of the chunked form.
//   parallel: o_t = Σ_{s≤t} A[t,s] v_s,  A[t,s] = s·q_t·k_s·e^{G_t − G_s}  (G = cumulative log-decay)
//   chunked:  o_t = s·e^{G_t} q_t S_before(n) + Σ_{chunk start ≤ s ≤ t} A[t,s] v_s   (G from the chunk start)
// Tiling: one workgroup per (b, h, tile of BR query rows). The Q tile (BR, K) is loaded once into workgroup
// memory; keys and values stream through in blocks of BC = BR rows (K and V blocks in workgroup memory),
// from the diagonal block back to the sequence start (parallel) or the chunk start (chunked). The BR×BC score block
// lives in workgroup memory; the BR×V output tile lives in registers (NACC per invocation) and is written
// once. In the chunked form each tile also reads S_before(n) (K, V) straight from storage.
// Decays: DECAY 0 none; 1 from G restarted at each chunk, as a pair hi + lo (gateCumsum.wgsl), for the
// chunked form; 2 RetNet's γ_h = 1 − 2^{−5−h}, e^{(t−s) log γ_h}; 3 from raw g as masked segment sums,
// G_t − G_s = (within the key block) + (between the blocks) + (within the row tile), each summed directly,
// so the error follows t − s and never the length of the sequence (no long cumulative sums). Layout: (B, T, H, ·), or (B, H, T, ·) when headMajor (RetNet's (b, h, t, d)).
// The prelude defines KP (= K), VP (= V), BR, BC and NACC (= ceil(BR·V / WG)); p.perHead = NC·tiles.

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> q: array<f32>;  // (B, T, H, K)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (B, T, H, K)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (B, T, H, V)
@group(0) @binding(4) var<storage, read> gHi: array<f32>;  // DECAY 1: (B, H, T) G per chunk; DECAY 3: g (B, T, H)
@group(0) @binding(5) var<storage, read> gLo: array<f32>;  // (B, H, T)
@group(0) @binding(6) var<storage, read> states: array<f32>;  // (B, H, NC, K, V) S_before(n), CHUNKED
@group(0) @binding(7) var<storage, read_write> o: array<f32>;  // (B, T, H, V)
@group(0) @binding(8) var<storage, read_write> attn: array<f32>;  // (B, H, T, T), ATTN
@group(0) @binding(9) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;
override DECAY: u32 = 0u;
override CHUNKED: bool = false;
override ATTN: bool = false;

var<workgroup> qs: array<f32, BR * KP>;  // (BR, K)
var<workgroup> ks: array<f32, BC * KP>;  // (BC, K)
var<workgroup> vs: array<f32, BC * VP>;  // (BC, V)
var<workgroup> sc: array<f32, BR * BC>;  // (BR, BC) scores A[t, s]
var<workgroup> gRow: array<vec2<f32>, BR>;  // G_t as (hi, lo)
var<workgroup> gCol: array<vec2<f32>, BC>;  // G_s as (hi, lo)
var<workgroup> gRowP: array<f32, BR>;  // DECAY 3: Σ_{j=r0+1..r0+r} g_j
var<workgroup> gColS: array<f32, BC>;  // DECAY 3: Σ_{j=c0+c+1..c0+nc−1} g_j
var<workgroup> gBetween: f32;  // DECAY 3: Σ_{j=c0+BC..r0} g_j for a key block below the diagonal

/** log γ_h = log(1 − x), x = 2^{−5−h} ≤ 1/32, as a series (log near 1 is inexact in f32). */
fn logGamma(h: u32) -> f32 {
  let x = exp2(-5.0 - f32(h));
  var term = x;
  var sum = 0.0;
  for (var n = 1u; n <= 8u; n++) {
    sum += term / f32(n);
    term *= x;
  }
  return -sum;
}

fn lhsAt(r: u32, c: u32) -> f32 {
  return sc[r * BC + c];
}

fn rhsAt(c: u32, cv: u32) -> f32 {
  return vs[c * p.V + cv];
}

@compute @workgroup_size(WG)
fn main(group: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let tile = laTile(linear(group));
  let rt = rowTile(tile, BR);  // segment rt.n: the chunk (chunked), or the whole sequence
  if (!rt.live) {
    return;
  }
  let h = tile.h;
  let b = tile.b;
  let K = p.K;
  let V = p.V;
  let bh = tile.bh;
  let wg = tile.lin;
  let lg = logGamma(h);

  for (var e = lid; e < BR * K; e += WG) {
    let r = e / K;
    qs[e] = select(0.0, q[laRow(b, h, rt.r0 + min(r, rt.nr - 1u)) * K + e % K], r < rt.nr);
  }
  if (DECAY == 1u) {
    for (var r = lid; r < rt.nr; r += WG) {
      gRow[r] = vec2<f32>(gHi[bh * p.T + rt.r0 + r], gLo[bh * p.T + rt.r0 + r]);
    }
  }
  if (DECAY == 3u && lid == 0u) {
    var acc = 0.0;
    for (var r = 0u; r < rt.nr; r++) {
      if (r > 0u) {
        acc += gHi[laRow(b, h, rt.r0 + r)];
      }
      gRowP[r] = acc;
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_LOAD, wg, T_Q, laRow(b, h, rt.r0), rt.nr * K, rt.nr * K * 4u, rt.n);
  }
  workgroupBarrier();

  var acc: array<f32, NACC>;  // zero-initialised
  if (CHUNKED) {
    let sb = (bh * p.NC + rt.n) * K * V;
    for (var j = 0u; j < NACC; j++) {
      let e = lid + j * WG;
      if (e < rt.nr * V) {
        let r = e / V;
        let c = e % V;
        var s = 0.0;
        for (var i = 0u; i < K; i++) {
          s += qs[r * K + i] * states[sb + i * V + c];
        }
        var d = 1.0;
        if (DECAY == 1u) {
          d = exp(gRow[r].x + gRow[r].y);
        }
        acc[j] = p.scale * d * s;
      }
    }
    if (lid == 0u) {
      traceEvent(TRACE_CHUNK_PHASE, wg, T_STATES, rt.n, rt.nr, 0u, PHASE_INTER_CHUNK);
      traceEvent(TRACE_READ, wg, T_STATES, sb, K * V, K * V * 4u, rt.n);
    }
  }

  if (lid == 0u) {
    traceEvent(TRACE_CHUNK_PHASE, wg, T_Q, rt.n, rt.nr, 0u, PHASE_INTRA_CHUNK);
  }
  let nBlocks = (rt.r0 - rt.c0) / BC + 1u;
  var blockSum = 0.0;
  for (var m = 0u; m < nBlocks; m++) {
    let c0 = rt.r0 - m * BC;
    let nc = min(BC, rt.r1 - c0);
    for (var e = lid; e < nc * K; e += WG) {
      ks[e] = k[laRow(b, h, c0 + e / K) * K + e % K];
    }
    for (var e = lid; e < nc * V; e += WG) {
      vs[e] = v[laRow(b, h, c0 + e / V) * V + e % V];
    }
    if (DECAY == 1u) {
      for (var c = lid; c < nc; c += WG) {
        gCol[c] = vec2<f32>(gHi[bh * p.T + c0 + c], gLo[bh * p.T + c0 + c]);
      }
    }
    if (DECAY == 3u && lid == 0u) {
      blockSum = 0.0;
      for (var c = nc; c > 0u; c--) {
        gColS[c - 1u] = blockSum;
        blockSum += gHi[laRow(b, h, c0 + c - 1u)];
      }
    }
    if (lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_K, laRow(b, h, c0), nc * K, nc * K * 4u, rt.n);
      traceEvent(TRACE_LOAD, wg, T_V, laRow(b, h, c0), nc * V, nc * V * 4u, rt.n);
    }
    workgroupBarrier();
    for (var e = lid; e < BR * BC; e += WG) {
      let r = e / BC;
      let c = e % BC;
      let t = rt.r0 + r;
      let s = c0 + c;
      var a = 0.0;
      if (r < rt.nr && c < nc && s <= t) {
        var dot = 0.0;
        for (var i = 0u; i < K; i++) {
          dot += qs[r * K + i] * ks[c * K + i];
        }
        var d = 1.0;
        if (DECAY == 1u) {
          d = exp((gRow[r].x - gCol[c].x) + (gRow[r].y - gCol[c].y));
        } else if (DECAY == 2u) {
          d = exp(f32(t - s) * lg);
        } else if (DECAY == 3u) {
          if (m == 0u) {
            d = exp(gRowP[r] - gRowP[c]);
          } else {
            d = exp(gColS[c] + gBetween + gRowP[r]);
          }
        }
        a = p.scale * dot * d;
        if (ATTN) {
          attn[(bh * p.T + t) * p.T + s] = a;
        }
      }
      sc[e] = a;
    }
    workgroupBarrier();
    if (DECAY == 3u && lid == 0u) {
      // The next block is c0 − BC: the gap between it and the row tile grows by this block.
      if (m == 0u) {
        gBetween = gHi[laRow(b, h, rt.r0)];
      } else {
        gBetween += blockSum;
      }
    }
    accumulateTile(&acc, lid, rt.nr, V, nc);  // o[r, ·] += Σ_c A[r, c] vs[c, ·]
    workgroupBarrier();
  }

  for (var j = 0u; j < NACC; j++) {
    let e = lid + j * WG;
    if (e < rt.nr * V) {
      o[laRow(b, h, rt.r0 + e / V) * V + e % V] = acc[j];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_STORE, wg, T_O, laRow(b, h, rt.r0), rt.nr * V, rt.nr * V * 4u, rt.n);
  }
}
