// FlashAttention-2 backward: the tile pieces its two kernels share (flashBackward.wgsl: dK, dV per key
// tile; flashBackwardDq.wgsl: dQ per query tile). Functions and workgroup arrays only:
// attention/attentionCommon.wgsl declares p and the index helpers, attention/backwardInputs.wgsl the
// bindings q, k, v, dout, lse, delta, the including kernel its outputs and trace. BR, BC and WG are override constants (a run's record names them);
// the prelude supplies D and OPT (the register tile, attention/registerTile.wgsl), as for the forward.
//
// Workgroup memory (f32): Qs, dOs (Br, d); Ks, Vs (Bc, d+1); Ps, dSs (Br, Bc+1); lse, delta (Br):
// 4·(2·Br·d + 2·Bc·(d+1) + 2·Br·(Bc+1) + 2·Br) bytes, kept within 16 KiB by the host
// (backwardTileBytes). Rows of Ks, Vs, Ps and dSs are padded by one word against bank conflicts.
// P is never read from memory: each step recomputes its tile from Q, K and lse (P = exp(scale·QKᵀ − lse)),
// which is what the recompute-P events of the trace show. A row with lse = +inf (no visible key), and
// the padding rows past sq, carry lse = +inf here: their P, and so every gradient from them, is 0.

override BR: u32 = 16u;
override BC: u32 = 16u;
override WG: u32 = 64u;

const KS: u32 = D + 1u;  // padded row stride of Ks, Vs
override SS: u32 = BC + 1u;  // padded row stride of Ps, dSs

var<workgroup> Qs: array<f32, BR * D>;  // (Br, d)
var<workgroup> dOs: array<f32, BR * D>;  // (Br, d)
var<workgroup> Ks: array<f32, BC * KS>;  // (Bc, d) in rows of d+1
var<workgroup> Vs: array<f32, BC * KS>;  // (Bc, d) in rows of d+1
var<workgroup> Ps: array<f32, BR * SS>;  // (Br, Bc) in rows of Bc+1: P, recomputed
var<workgroup> dSs: array<f32, BR * SS>;  // (Br, Bc) in rows of Bc+1: dS = P ∘ (dP − delta)
var<workgroup> lseR: array<f32, BR>;  // lse of the tile's rows (+inf: no visible key, or past sq)
var<workgroup> deltaR: array<f32, BR>;  // delta of the tile's rows

// A query tile: batch, query head, first row, rows inside sq, index; a key tile likewise.
struct QTile {
  b: u32,
  hh: u32,
  r0: u32,
  rows: u32,
  i: u32,
}

struct KTile {
  b: u32,
  kh: u32,
  c0: u32,
  cols: u32,
  j: u32,
}

fn qTile(b: u32, hh: u32, i: u32) -> QTile {
  return QTile(b, hh, i * BR, min(BR, p.sq - i * BR), i);
}

fn kTile(b: u32, kh: u32, j: u32) -> KTile {
  return KTile(b, kh, j * BC, min(BC, p.sk - j * BC), j);
}

fn finite(x: f32) -> bool {
  return (bitcast<u32>(x) & p.infBits) != p.infBits;
}

// Q_i, dO_i, lse_i and delta_i into workgroup memory (zeros and lse = +inf past sq); one load event each.
fn loadQueryTile(tid: u32, t: QTile, tw: u32) {
  for (var idx = tid; idx < BR * D; idx += WG) {
    let r = idx / D;
    var x = 0.0;
    var g = 0.0;
    if (r < t.rows) {
      let o = qAt(t.b, t.r0 + r, t.hh) + idx % D;
      x = q[o];
      g = dout[o];
    }
    Qs[idx] = x;
    dOs[idx] = g;
  }
  for (var r = tid; r < BR; r += WG) {
    var l = posInf();
    var dl = 0.0;
    if (r < t.rows) {
      l = lse[lseAt(t.b, t.hh, t.r0 + r)];
      dl = delta[lseAt(t.b, t.hh, t.r0 + r)];
    }
    lseR[r] = l;
    deltaR[r] = dl;
  }
  if (tid == 0u) {
    let o = qAt(t.b, t.r0, t.hh);
    let n = t.rows * D;
    traceEvent(TRACE_LOAD, tw, T_Q, o, n, n * 4u, t.i);
    traceEvent(TRACE_LOAD, tw, T_DOUT, o, n, n * 4u, t.i);
    traceEvent(TRACE_LOAD, tw, T_LSE, lseAt(t.b, t.hh, t.r0), t.rows, t.rows * 4u, t.i);
    traceEvent(TRACE_LOAD, tw, T_DELTA, lseAt(t.b, t.hh, t.r0), t.rows, t.rows * 4u, t.i);
  }
}

// K_j and V_j into workgroup memory (zeros past sk); one load event each.
fn loadKeyTile(tid: u32, t: KTile, tw: u32) {
  for (var idx = tid; idx < BC * D; idx += WG) {
    let jj = idx / D;
    var kx = 0.0;
    var vx = 0.0;
    if (jj < t.cols) {
      let o = kvAt(t.b, t.c0 + jj, t.kh) + idx % D;
      kx = k[o];
      vx = v[o];
    }
    Ks[jj * KS + idx % D] = kx;
    Vs[jj * KS + idx % D] = vx;
  }
  if (tid == 0u) {
    let o = kvAt(t.b, t.c0, t.kh);
    let n = t.cols * D;
    traceEvent(TRACE_LOAD, tw, T_K, o, n, n * 4u, t.j);
    traceEvent(TRACE_LOAD, tw, T_V, o, n, n * 4u, t.j);
  }
}

// Ps = exp(scale·Q_i K_jᵀ − lse_i), 0 where masked, past sk, or on a row with lse = +inf.
fn recomputeP(tid: u32, qt: QTile, kt: KTile, tw: u32, tile: u32) {
  for (var idx = tid; idx < BR * BC; idx += WG) {
    let r = idx / BC;
    let jj = idx % BC;
    let l = lseR[r];
    var pr = 0.0;
    if (jj < kt.cols && finite(l) && visible(qt.r0 + r, kt.c0 + jj)) {
      var dot = 0.0;
      for (var c = 0u; c < D; c++) {
        dot += Qs[r * D + c] * Ks[jj * KS + c];
      }
      pr = exp(p.scale * dot - l);
    }
    Ps[r * SS + jj] = pr;
  }
  if (tid == 0u) {
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, tile, qt.rows * kt.cols, 0u, PHASE_RECOMPUTE_P);
  }
}

// What both kernels do at each (i, j) step once the tile they stream is loaded: P recomputed, then dS, each
// behind a barrier (the last one so that the step's accumulation reads them whole).
fn recomputePdS(tid: u32, qt: QTile, kt: KTile, tw: u32, tile: u32) {
  workgroupBarrier();
  recomputeP(tid, qt, kt, tw, tile);
  workgroupBarrier();
  computeDs(tid, qt, kt, tw, tile);
  workgroupBarrier();
}

// dSs = Ps ∘ (dO_i V_jᵀ − delta_i): the softmax backward without its Jacobian (delta = rowsum(dO ∘ O)).
fn computeDs(tid: u32, qt: QTile, kt: KTile, tw: u32, tile: u32) {
  for (var idx = tid; idx < BR * BC; idx += WG) {
    let r = idx / BC;
    let jj = idx % BC;
    var dp = 0.0;
    for (var c = 0u; c < D; c++) {
      dp += dOs[r * D + c] * Vs[jj * KS + c];
    }
    dSs[r * SS + jj] = Ps[r * SS + jj] * (dp - deltaR[r]);
  }
  if (tid == 0u) {
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, tile, qt.rows * kt.cols, 0u, PHASE_D_S);
  }
}
