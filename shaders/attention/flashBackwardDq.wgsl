// FlashAttention-2 backward, kernel 2 of 2: dQ. One workgroup per (batch, query head, query tile i of Br
// rows): p.count = b·h·ceil(sq/Br) of them on a grid folded past 65,535, in the forward's order. Q_i,
// dO_i, lse_i and delta_i are read once into workgroup memory; each visible key tile j (causal tiles
// entirely above the diagonal are skipped, as in the forward) is read once into workgroup memory, the P
// tile is recomputed from Q_i, K_j and lse_i, dS_ij = P_ij ∘ (dO_i V_jᵀ − delta_i) (the same helpers as
// kernel 1), and dQ_i += scale · dS_ij K_j accumulates in registers (invocation t owns elements t, t+WG,
// … of the (Br, d) tile); dQ_i is written once. This is the separate dQ pass of FA2's Triton kernel: it
// recomputes P and dS once more instead of adding into dQ with atomics, which WGSL lacks for f32.
// Trace: the Q/dO/lse/delta loads (aux = query tile), one skip event (count = key tiles skipped), per
// key tile the K, V loads (aux = key tile) and the recompute-P, dS, dQ phases (offset = key tile), the
// dQ store. Workgroup ids in the trace are p.wg0 + the linear id.

// q, k, v, dout, lse, delta at 1 … 6: attention/backwardInputs.wgsl
@group(0) @binding(7) var<storage, read_write> dq: array<f32>;  // (b, sq, h, d)
@group(0) @binding(8) var<storage, read_write> trace: TraceBuf;

// (dS K)[r, c] over the key tile in workgroup memory: step j's share of dQ_i / scale.
fn dsKAt(r: u32, c: u32) -> f32 {
  var s = 0.0;
  for (var jj = 0u; jj < BC; jj++) {
    s += dSs[r * SS + jj] * Ks[jj * KS + c];
  }
  return s;
}

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.count; }

fn workgroupMain(wid: u32, tid: u32) {
  let tw = p.wg0 + wid;
  let tr = (p.sq + BR - 1u) / BR;
  let hh = (wid / tr) % p.h;
  let qt = qTile(wid / (tr * p.h), hh, wid % tr);
  loadQueryTile(tid, qt, tw);
  var acc: array<f32, OPT>;  // dQ_i / scale; zero-initialised
  let tiles = keyTilesFor(qt.r0, qt.rows, BC);
  if (tid == 0u) {
    let tc = (p.sk + BC - 1u) / BC;
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, tiles, tc - tiles, 0u, PHASE_SKIP);
  }
  for (var j = 0u; j < tiles; j++) {
    let kt = kTile(qt.b, kvHead(hh), j);
    workgroupBarrier();  // the last step is done with Ks, Vs, Ps, dSs
    loadKeyTile(tid, kt, tw);
    recomputePdS(tid, qt, kt, tw, j);
    for (var u = 0u; u < OPT; u++) {
      let e = slot(tid, u);
      if (e.x < BR) {
        acc[u] += dsKAt(e.x, e.y);
      }
    }
    if (tid == 0u) {
      traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, j, qt.rows * D, 0u, PHASE_D_Q);
    }
  }
  for (var u = 0u; u < OPT; u++) {
    let e = slot(tid, u);
    if (e.x < qt.rows) {
      dq[qAt(qt.b, qt.r0 + e.x, hh) + e.y] = p.scale * acc[u];
    }
  }
  if (tid == 0u) {
    let n = qt.rows * D;
    traceEvent(TRACE_STORE, tw, T_DQ, qAt(qt.b, qt.r0, hh), n, n * 4u, qt.i);
  }
}
