// SSD phase 3, state passing: the recurrence across chunks,
//   passed[c + 1] = exp(Σ_{k in chunk c} A_k) passed[c] + S_c,   passed[0] = initial state (or 0).
// passed[c] is the state entering chunk c; passed[nC] is the final state. One invocation per (p, n)
// element of one (batch, head), looping over the chunks c0..c1 in order (the only sequential part of
// the chunked algorithm: nC steps instead of T). The chunk's total decay Σ_{k in chunk} A_k is Acum at
// the chunk's last row (written by phase 1): one value per chunk, the same address for the workgroup.
// Each chunk state is read once and each passed state written once; nothing is kept in workgroup memory.
// Entry: ssd/perWorkgroup.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> Acum: array<f32>;  // (batch, T, H) Σ_{k=chunk start..t} A_k
@group(0) @binding(2) var<storage, read> states: array<f32>;  // (nC, batch, H, P, N)
@group(0) @binding(3) var<storage, read> init: array<f32>;  // (batch, H, P, N), or a placeholder
@group(0) @binding(4) var<storage, read_write> passed: array<f32>;  // (nC + 1, batch, H, P, N)
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

fn phase(lin: u32, wg: u32, lid: u32) {
  // (the WG-wide tile of the P·N state elements fastest, then the head, then the batch)
  let PN = prm.P * prm.N;
  let at = unflatten(lin, (PN + WG - 1u) / WG, prm.H);
  let e0 = at.x * WG;
  let hh = at.y;
  let bi = at.z;
  let e = e0 + lid;
  let ok = e < PN;
  let count = min(WG, PN - e0);
  let own = (bi * prm.H + hh) * PN + e;
  var v = 0.0;
  if (prm.c0 == 0u) {
    if (prm.hasInit != 0u && ok) {
      v = init[own];
    }
    if (ok) {
      passed[stateIdx(0u, bi, hh) + e] = v;
    }
    if (lid == 0u) {
      if (prm.hasInit != 0u) {
        traceEvent(TRACE_READ, wg, T_INIT, own, count, count * 4u, 0u);
      }
      traceEvent(TRACE_WRITE, wg, T_PASSED, stateIdx(0u, bi, hh) + e0, count, count * 4u, 0u);
    }
  } else if (ok) {
    v = passed[stateIdx(prm.c0, bi, hh) + e];
  }
  for (var c = prm.c0; c < prm.c1; c++) {
    let cStart = c * prm.Q;
    let cEnd = min(cStart + prm.Q, prm.T);
    let total = Acum[aIdx(bi, cEnd - 1u, hh)];
    if (ok) {
      v = exp(total) * v + states[stateIdx(c, bi, hh) + e];
      passed[stateIdx(c + 1u, bi, hh) + e] = v;
    }
    if (lid == 0u) {
      traceEvent(TRACE_READ, wg, T_ACUM, aIdx(bi, cEnd - 1u, hh), 1u, 4u, c);
      traceEvent(TRACE_READ, wg, T_STATES, stateIdx(c, bi, hh) + e0, count, count * 4u, c);
      traceEvent(TRACE_WRITE, wg, T_PASSED, stateIdx(c + 1u, bi, hh) + e0, count, count * 4u, c);
      traceEvent(TRACE_CHUNK_PHASE, wg, NO_TENSOR, c, count, 0u, PHASE_PASSED_STATE);
    }
  }
}
