// FlashAttention-2 backward, kernel 1 of 2: dK and dV. One workgroup per (batch, kv head, key tile j of
// Bc keys): p.count = b·h_k·ceil(sk/Bc) of them on a grid folded past 65,535. K_j and V_j are read once
// into workgroup memory and stay there; dK_j and dV_j accumulate in registers (invocation t owns the
// elements t, t+WG, … of the (Bc, d) tile) over the query tiles i of every query head of the kv head's
// group (GQA sums them here, in the workgroup, with no atomics) from firstQueryTile(j) on (causal tiles
// entirely above the diagonal are skipped), and are written once. Each (i, j) step reads Q_i, dO_i,
// lse_i and delta_i once, recomputes the P tile from Q_i, K_j and lse_i, and never stores it:
//   dV_j += P_ijᵀ dO_i;  dS_ij = P_ij ∘ (dO_i V_jᵀ − delta_i);  dK_j += scale · dS_ijᵀ Q_i.
// dQ is the other kernel's (flashBackwardDq.wgsl): WGSL has no f32 atomics to add dS_ij K_j into dQ_i
// from many key tiles, so dQ gets its own pass over query tiles (see flashAttentionBackward.ts).
// Trace: K, V loads (aux = key tile), one skip event (count = query tiles skipped over the group), per
// step the Q/dO/lse/delta loads (aux = query tile) and the recompute-P, dS, dV, dK phases (offset =
// query tile; dV and dK share one loop), then the dK and dV stores. Workgroup ids in the trace are p.wg0 + the linear id.

// q, k, v, dout, lse, delta at 1 … 6: attention/backwardInputs.wgsl
@group(0) @binding(7) var<storage, read_write> dk: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(8) var<storage, read_write> dv: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(9) var<storage, read_write> trace: TraceBuf;

// dV_j += P_ijᵀ dO_i and dK_j / scale += dS_ijᵀ Q_i into the register tile, in one pass over the step's
// rows (both read the same (jj, c)).
fn addDkDv(tid: u32, gk: ptr<function, array<f32, OPT>>, gv: ptr<function, array<f32, OPT>>) {
  for (var u = 0u; u < OPT; u++) {
    let e = slot(tid, u);
    if (e.x < BC) {
      for (var r = 0u; r < BR; r++) {
        (*gv)[u] += Ps[r * SS + e.x] * dOs[r * D + e.y];
        (*gk)[u] += dSs[r * SS + e.x] * Qs[r * D + e.y];
      }
    }
  }
}

// Entry: common/perWorkgroup.wgsl, one workgroup per linear id below workgroupCount().
fn workgroupCount() -> u32 { return p.count; }

fn workgroupMain(wid: u32, tid: u32) {
  let tw = p.wg0 + wid;
  let tc = (p.sk + BC - 1u) / BC;
  let tr = (p.sq + BR - 1u) / BR;
  let kt = kTile(wid / (tc * p.hk), (wid / tc) % p.hk, wid % tc);
  loadKeyTile(tid, kt, tw);
  var gk: array<f32, OPT>;  // dK_j / scale, unscaled until the store; zero-initialised
  var gv: array<f32, OPT>;  // dV_j
  let group = p.h / p.hk;
  let first = firstQueryTile(kt.c0, BR);
  if (tid == 0u) {
    traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, tr - first, first * group, 0u, PHASE_SKIP);
  }
  for (var g = 0u; g < group; g++) {
    for (var i = first; i < tr; i++) {
      let qt = qTile(kt.b, kt.kh * group + g, i);
      workgroupBarrier();  // the last step is done with Qs, dOs, Ps, dSs
      loadQueryTile(tid, qt, tw);
      recomputePdS(tid, qt, kt, tw, i);
      addDkDv(tid, &gk, &gv);
      if (tid == 0u) {
        traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, i, kt.cols * D, 0u, PHASE_D_V);
        traceEvent(TRACE_COMPUTE, tw, NO_TENSOR, i, kt.cols * D, 0u, PHASE_D_K);
      }
    }
  }
  for (var u = 0u; u < OPT; u++) {
    let e = slot(tid, u);
    if (e.x < kt.cols) {
      let o = kvAt(kt.b, kt.c0 + e.x, kt.kh) + e.y;
      dk[o] = p.scale * gk[u];
      dv[o] = gv[u];
    }
  }
  if (tid == 0u) {
    let o = kvAt(kt.b, kt.c0, kt.kh);
    let n = kt.cols * D;
    traceEvent(TRACE_STORE, tw, T_DK, o, n, n * 4u, kt.j);
    traceEvent(TRACE_STORE, tw, T_DV, o, n, n * 4u, kt.j);
  }
}
