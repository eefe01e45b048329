// Fused chunked selective scan (Mamba-1), one pass: discretization, scan and C contraction together.
// Tiling: one workgroup per (b, d, chunk) of CHUNK = TPC × ITEMS time steps, TPC × NB invocations.
// Invocation (q, j) owns the ITEMS consecutive steps q·ITEMS .. q·ITEMS+ITEMS-1 of the chunk and state
// n = n0 + j while the workgroup walks N in blocks of NB.
// Memory traffic, per workgroup:
//   u, δ: the chunk's CHUNK values of row (b, d) are loaded once into workgroup memory (sU, sDelta);
//         δ' = softplus(δ + bias) is formed there, once.
//   A, D, delta_bias: the channel's N values of A (per state block) and its D and bias, once.
//   B, C: each invocation reads its own B_t[n], C_t[n] into registers (variable B/C: once per chunk per
//         channel; fixed B/C: the channel's N values).
//   scan: the pairs (ΔA_t, ΔB_t u_t) live only in registers and workgroup memory. Each invocation
//         composes its ITEMS pairs in order, then a Hillis–Steele scan over the TPC invocations of a
//         state row (sA, sX; log2 TPC levels) with (a₁,b₁)∘(a₂,b₂) = (a₁a₂, a₂b₁ + b₂) gives each one
//         the prefix before its items. ITEMS = 1 is the plain Hillis–Steele scan over the chunk.
//   carry: the chunk's inclusive state (N values) is published to a small (nChunks, B·D, N) buffer;
//         the next chunk of the same row waits for it (chained scan; workgroups take their chunk from a
//         ticket counter, so a chunk only ever waits for a chunk that is already running).
//   out:  y_t = Σ_n x_t[n] C_t[n] is reduced over the workgroup (sY), then out = (y + u D)·silu(z) is
//         written once; z is read once. The last chunk writes last_state. No (L, D, N) tensor is ever
//         stored: x_t exists only in registers, rebuilt from the prefix, the carry and the items.
// Complex A (COMPLEX) uses the same path with complex products; y = 2·Re(Σ x C).
// MODE 1 and 2 are the portable fallback for devices that do not let one workgroup wait for another:
// MODE 1 writes each chunk's aggregate (Π ΔA, local final state) to `carry` (no C, z or out), the
// carry kernel (selectiveScanCarry.wgsl) turns them into carries into each chunk, and MODE 2 redoes
// the chunk with its carry read from `carry`. That costs a second read of u, δ and B.
// Trace tensor ids (T_*) are generated from SELECTIVE_SCAN_TRACE (engine/programs/mamba/common.ts); a
// scan level records T_PAIRS (the pairs in sA, sX) with aux = level. The workgroup id is the ticket.

// Bindings 0..3 (p, seq, bc, chan), COMPLEX, cx(), loadPair() and the shared reads: selectiveScanParams.wgsl.
@group(0) @binding(4) var<storage, read_write> outBuf: array<f32>;  // (B, D, L)
@group(0) @binding(5) var<storage, read_write> lastState: array<f32>;  // (B, D, N[, 2])
// MODE 0: [ticket] + (nChunks-1, B·D, N[, 2]) published states; MODE 1/2: [unused] + (nChunks, B·D, N, 2[, 2]).
@group(0) @binding(6) var<storage, read_write> carry: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

override TPC: u32 = 16u;
override ITEMS: u32 = 4u;
override NB: u32 = 4u;
override CHUNK: u32 = TPC * ITEMS;
const MAX_ITEMS: u32 = 8u;
override MODE: u32 = 0u;


var<workgroup> sTicket: u32;
var<workgroup> sU: array<f32, CHUNK>;  // (CHUNK,) u of the chunk
var<workgroup> sDelta: array<f32, CHUNK>;  // (CHUNK,) δ' of the chunk
var<workgroup> sA: array<vec2<f32>, TPC * NB>;  // (NB, TPC) scan pair per invocation, decay part
var<workgroup> sX: array<vec2<f32>, TPC * NB>;  // (NB, TPC) scan pair per invocation, input part
var<workgroup> sY: array<f32, CHUNK * NB>;  // (NB, CHUNK) partial y per state lane
var<workgroup> sH: array<vec2<f32>, NB>;  // (NB,) carry into the chunk

fn mulA(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (COMPLEX) {
    return cmul(a, b);
  }
  return vec2<f32>(a.x * b.x, 0.0);
}

// Published values are bits + 1, so the zero-initialised buffer reads as "not yet".
fn encodeCarry(v: f32) -> u32 {
  var b = bitcast<u32>(v);
  if (b == 0xffffffffu) {
    b = 0x7fc00000u;
  }
  return b + 1u;
}

fn storeRaw(i: u32, v: vec2<f32>) {
  atomicStore(&carry[i], bitcast<u32>(v.x));
  if (COMPLEX) {
    atomicStore(&carry[i + 1u], bitcast<u32>(v.y));
  }
}

fn loadRaw(i: u32) -> vec2<f32> {
  let re = bitcast<f32>(atomicLoad(&carry[i]));
  if (COMPLEX) {
    return vec2<f32>(re, bitcast<f32>(atomicLoad(&carry[i + 1u])));
  }
  return vec2<f32>(re, 0.0);
}

fn awaitCarry(i: u32) -> f32 {
  loop {
    let v = atomicLoad(&carry[i]);
    if (v != 0u) {
      return bitcast<f32>(v - 1u);
    }
  }
}

@compute @workgroup_size(TPC * NB)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  if (li == 0u) {
    if (MODE == 0u) {
      sTicket = atomicAdd(&carry[0], 1u);
    } else {
      sTicket = linear(g);
    }
  }
  let ticket = workgroupUniformLoad(&sTicket);
  let rows = p.batch * p.D;
  let nChunks = (p.L + CHUNK - 1u) / CHUNK;
  // Past the count: the overshoot of a folded grid (gridFor), or a ticket nobody needs. The whole
  // workgroup returns together, before any barrier.
  if (ticket >= nChunks * rows) {
    return;
  }
  // Chunk-major order: every row's chunk c is handed out before any chunk c+1, so by the time a chunk
  // runs its predecessor has usually finished, and the wait is short.
  let c = ticket / rows;
  let bd = ticket % rows;
  let b = bd / p.D;
  let d = bd % p.D;
  let t0 = c * CHUNK;
  let Tc = min(CHUNK, p.L - t0);
  let q = li % TPC;
  let j = li / TPC;
  let row = bd * p.L;
  let lead = li == 0u;
  let nStates = p.N * cx();

  for (var tl = li; tl < Tc; tl += TPC * NB) {
    sU[tl] = uAt(bd, t0 + tl);
    sDelta[tl] = deltaAt(bd, t0 + tl, d);
  }
  if (lead) {
    traceEvent(TRACE_LOAD, ticket, T_U, row + t0, Tc, 4u * Tc, 0u);
    traceEvent(TRACE_LOAD, ticket, T_DELTA, row + t0, Tc, 4u * Tc, 0u);
    traceEvent(TRACE_READ, ticket, T_DELTA_BIAS, d, 1u, 4u, 0u);
    traceEvent(TRACE_READ, ticket, T_D, d, 1u, 4u, 0u);
  }
  workgroupBarrier();

  let bBase = bStart(b, d);
  let cBase = cStart(b, d);
  var yAcc: array<f32, MAX_ITEMS>;
  var aI: array<vec2<f32>, MAX_ITEMS>;
  var xI: array<vec2<f32>, MAX_ITEMS>;
  var cI: array<vec2<f32>, MAX_ITEMS>;
  for (var n0 = 0u; n0 < p.N; n0 += NB) {
    let n = n0 + j;
    let nb = min(NB, p.N - n0);
    var A = vec2<f32>(0.0, 0.0);
    if (n < p.N) {
      A = aAt(d, n);
    }
    // This invocation's items, composed in order: (a, x) = its pairs folded left to right.
    var a = vec2<f32>(1.0, 0.0);
    var x = vec2<f32>(0.0, 0.0);
    for (var i = 0u; i < ITEMS; i++) {
      let tl = q * ITEMS + i;
      aI[i] = vec2<f32>(1.0, 0.0);
      xI[i] = vec2<f32>(0.0, 0.0);
      cI[i] = vec2<f32>(0.0, 0.0);
      if (tl < Tc && n < p.N) {
        let t = t0 + tl;
        let dl = sDelta[tl];
        if (COMPLEX) {
          aI[i] = cexpAcc(dl * A);
        } else {
          aI[i] = vec2<f32>(exp(dl * A.x), 0.0);
        }
        xI[i] = (dl * sU[tl]) * loadPair(bBase + n * p.bState + t * p.bTime);
        if (MODE != 1u) {
          cI[i] = loadPair(cBase + n * p.cState + t * p.cTime);
        }
      }
      x = mulA(aI[i], x) + xI[i];
      a = mulA(aI[i], a);
    }
    if (lead) {
      let bCount = select(nb * Tc, nb, p.bTime == 0u) * cx();
      let cCount = select(nb * Tc, nb, p.cTime == 0u) * cx();
      traceEvent(TRACE_READ, ticket, T_A, (d * p.N + n0) * cx(), nb * cx(), 4u * nb * cx(), n0);
      traceEvent(TRACE_READ, ticket, T_B, bBase + n0 * p.bState + t0 * p.bTime, bCount, 4u * bCount, n0);
      if (MODE != 1u) {
        traceEvent(TRACE_READ, ticket, T_C, cBase - p.offC + n0 * p.cState + t0 * p.cTime, cCount, 4u * cCount, n0);
      }
    }
    // Inclusive Hillis–Steele scan over the TPC invocations of each state row.
    var level = 0u;
    for (var s = 1u; s < TPC; s = s << 1u) {
      sA[li] = a;
      sX[li] = x;
      workgroupBarrier();
      if (q >= s) {
        let ap = sA[li - s];
        let xp = sX[li - s];
        x = mulA(a, xp) + x;
        a = mulA(ap, a);
      }
      workgroupBarrier();
      if (lead) {
        traceEvent(TRACE_SCAN_LEVEL, ticket, T_PAIRS, n0, nb * TPC, 0u, level);
      }
      level += 1u;
    }
    sA[li] = a;
    sX[li] = x;
    // The last invocation of each state row holds the chunk aggregate (padding items are the identity).
    if (q == TPC - 1u && n < p.N) {
      var h = vec2<f32>(0.0, 0.0);
      let ag = 1u + ((c * rows + bd) * p.N + n) * 2u * cx();
      if (MODE == 1u) {
        storeRaw(ag, a);
        storeRaw(ag + cx(), x);
      } else if (MODE == 2u) {
        h = loadRaw(ag);
      } else {
        let slot = (bd * p.N + n) * cx();
        if (c > 0u) {
          let prev = 1u + (c - 1u) * rows * nStates + slot;
          h.x = awaitCarry(prev);
          if (COMPLEX) {
            h.y = awaitCarry(prev + 1u);
          }
        }
        let hOut = mulA(a, h) + x;
        if (c + 1u < nChunks) {
          let mine = 1u + c * rows * nStates + slot;
          atomicStore(&carry[mine], encodeCarry(hOut.x));
          if (COMPLEX) {
            atomicStore(&carry[mine + 1u], encodeCarry(hOut.y));
          }
        } else {
          lastState[(bd * p.N + n) * cx()] = hOut.x;
          if (COMPLEX) {
            lastState[(bd * p.N + n) * 2u + 1u] = hOut.y;
          }
        }
      }
      sH[j] = h;
    }
    workgroupBarrier();
    if (lead && MODE != 0u) {
      let ag = ((c * rows + bd) * p.N + n0) * 2u * cx();
      if (MODE == 1u) {
        traceEvent(TRACE_WRITE, ticket, T_CARRY, ag, 2u * nb * cx(), 8u * nb * cx(), n0);
      } else {
        traceEvent(TRACE_READ, ticket, T_CARRY, ag, nb * cx(), 4u * nb * cx(), n0);
      }
    }
    if (lead && MODE == 0u) {
      let cc = nb * cx();
      if (c > 0u) {
        traceEvent(TRACE_READ, ticket, T_CARRY, (c - 1u) * rows * nStates + bd * nStates + n0 * cx(), cc, 4u * cc, n0);
      }
      if (c + 1u < nChunks) {
        traceEvent(TRACE_WRITE, ticket, T_CARRY, c * rows * nStates + bd * nStates + n0 * cx(), cc, 4u * cc, n0);
      } else {
        traceEvent(TRACE_WRITE, ticket, T_LAST_STATE, bd * nStates + n0 * cx(), cc, 4u * cc, n0);
      }
    }
    if (MODE != 1u && n < p.N) {
      // State entering this invocation's first item: the previous invocation's prefix applied to h.
      var st = sH[j];
      if (q > 0u) {
        st = mulA(sA[li - 1u], st) + sX[li - 1u];
      }
      for (var i = 0u; i < ITEMS; i++) {
        st = mulA(aI[i], st) + xI[i];
        if (COMPLEX) {
          yAcc[i] += 2.0 * (st.x * cI[i].x - st.y * cI[i].y);
        } else {
          yAcc[i] += st.x * cI[i].x;
        }
      }
    }
    workgroupBarrier();
  }

  if (MODE == 1u) {
    return;
  }
  for (var i = 0u; i < ITEMS; i++) {
    sY[j * CHUNK + q * ITEMS + i] = yAcc[i];
  }
  workgroupBarrier();
  for (var tl = li; tl < Tc; tl += TPC * NB) {
    var y = 0.0;
    for (var k = 0u; k < NB; k++) {
      y += sY[k * CHUNK + tl];
    }
    outBuf[row + t0 + tl] = gatedOut(y, bd, t0 + tl, sU[tl], d);
  }
  if (lead) {
    if (p.hasZ != 0u) {
      traceEvent(TRACE_READ, ticket, T_Z, row + t0, Tc, 4u * Tc, 0u);
    }
    traceEvent(TRACE_STORE, ticket, T_OUT, row + t0, Tc, 4u * Tc, 0u);
  }
}
