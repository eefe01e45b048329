// Fused selective scan (Mamba-1), lanes on channels and rows of lanes on time segments: a workgroup owns CW
// channels of one block sharing a B and a C group (scanBlocks.wgsl), one lane each, and S rows of CW lanes
// walk the S consecutive segments of ITEMS = 4·V steps that make up a chunk of CHUNK = S·ITEMS steps, so L
// is scanned in parallel inside the kernel, one pass, no carry between workgroups. Real A only; L and every B/C row start a multiple of 4 (the
// program checks, else it runs the chunked form).
// Why this shape (H200, D=4096, N=16; the tile kernel's profile in BENCHMARKS.md, run G5): the tile kernel's
// D·N/W = 16,384 lanes each walk all of L, about one warp a scheduler, too few to hide a step's latency or
// its loads' even with no memory traffic at all; the row kernel (one channel a workgroup) has the lanes but
// re-reads B and C from L2 once per channel. Here there are D·S lanes (4× the tile's at S = 16, W = 4),
// each reading its own channel's u, δ and z as whole 32-byte sectors (ITEMS ≥ 8). B and C (when they vary
// with t) are staged: the workgroup loads the next chunk's (N, CHUNK) tiles of both, coalesced, into
// registers while this chunk is walked, and stores them to workgroup memory after its last barrier (one
// barrier more a chunk); a segment row's lanes then read the same B_t, C_t there (a broadcast). Read
// straight from global memory, as broadcast loads behind each state group's barrier, they cost a third
// of the kernel's time (BENCHMARKS.md, run H). Fixed B or C is per channel: read by each lane (cached).
// Per chunk and group of four states n0..n0+3 (vec4 lanes), each lane:
//   (1) walks its ITEMS steps from h = 0: a_t = exp2(δ_t·A·log2 e), h = a_t·h + δ_t u_t B_t,
//       y_t += C_t·h (the local part), and the decay since its segment's start P_t = Π a, keeping
//       Q_t = C_t ⊙ P_t: the true state is h_t + P_t ⊙ h_in, so y_t needs Q_t · h_in on top;
//   (2) stores its segment's pair (P, h) = (decay, input) in workgroup memory; barrier;
//   (3) forms h_in, the state entering its segment: the chunk's carry, then the pairs of the segments
//       before it in order (h_in = P_j·h_in + h_j); adds Q_t · h_in to each y_t;
//   (4) the last segment's lane writes the carry out of the chunk, P·h_in + h, for the next chunk.
// One exp a (step, state), as in the tile kernel; the replay costs two FMAs a (step, state) more, the
// carries one barrier per chunk and state group. Pairs: two slots by the parity of the (chunk, group)
// iteration (a slot is rewritten two barriers after it was read); carries by the chunk's parity.
// Out: out_t = (y_t + u_t D)·silu(z_t), written once; the last chunk's carries are last_state.
// Bindings 0..3 (p, seq, bc, chan) and the scalar reads: selectiveScanParams.wgsl; the same three buffers as
// vec4 arrays at 4, 5 and 6, as in selectiveScanRow.wgsl.

@group(0) @binding(4) var<storage, read> seq4: array<vec4<f32>>;  // seq as vec4: u | δ | z
@group(0) @binding(5) var<storage, read> bc4: array<vec4<f32>>;  // bc as vec4: B | C
@group(0) @binding(6) var<storage, read_write> out4: array<vec4<f32>>;  // (B, D, L / 4)
@group(0) @binding(7) var<storage, read_write> lastState: array<f32>;  // (B, D, N)

/** Channels per workgroup: the lanes of a segment row. */
override CW: u32 = 32u;
/** Segments per chunk: rows of CW lanes. */
override S: u32 = 8u;
/** CW · S invocations. */
override WG: u32 = 256u;
/** vec4s of steps per segment: ITEMS = 4·V. */
override V: u32 = 2u;
/** State groups of four: ⌈N / 4⌉. */
override NG: u32 = 4u;
/** Prefetch: the next chunk's u and δ in registers during this one (below). */
override PF: bool = true;
/** Steps a chunk: S · 4V. */
override CHUNK: u32;
const MAXV: u32 = 4u;
/** Most vec4 a lane stages of each of B and C a chunk (the program checks ST against it). */
const MAXT: u32 = 8u;
/** The vec4 a lane stages of each: ⌈NG · CHUNK / WG⌉ (a loop bound the compiler knows: no unused slots). */
override ST: u32;
const LOG2E: f32 = 1.4426950408889634;

var<workgroup> sP: array<vec4<f32>, 2u * WG>;  // (2, S, CW) a segment's decay over its steps, by parity
var<workgroup> sX: array<vec4<f32>, 2u * WG>;  // (2, S, CW) its state from h = 0 at its end
var<workgroup> sH: array<vec4<f32>, 2u * NG * CW>;  // (2, NG, CW) the carry into the chunk, by parity
var<workgroup> sB: array<vec4<f32>, NG * CHUNK>;  // (4·NG, CHUNK/4) B of the chunk, four steps a vec4
var<workgroup> sC: array<vec4<f32>, NG * CHUNK>;  // the same for C

/** B_n or C_n of a fixed (per-channel) matrix, at base in bc, as four equal steps. */
fn fixed4(base: u32, stride: u32, n: u32) -> vec4<f32> {
  return vec4<f32>(bc[base + n * stride]);
}

/** The k-th vec4 this lane stages of the chunk at t0 (state n, steps 4j..4j+3): 0 past N and L. */
fn stageAt(base: u32, stride: u32, li: u32, k: u32, t0: u32) -> vec4<f32> {
  let i = li + k * WG;
  let n = i / (CHUNK / 4u);
  let t = t0 + 4u * (i % (CHUNK / 4u));
  if (i >= NG * CHUNK || n >= p.N || t >= p.L) {
    return vec4<f32>(0.0);
  }
  return bc4[(base + n * stride + t) / 4u];
}

/** Stores a lane's staged vec4s of B and C (those that vary) into the chunk's tiles. */
fn store(
  li: u32,
  bVar: bool,
  cVar: bool,
  pb: ptr<function, array<vec4<f32>, MAXT>>,
  pc: ptr<function, array<vec4<f32>, MAXT>>,
) {
  for (var k = 0u; k < ST; k++) {
    let i = li + k * WG;
    if (i < NG * CHUNK) {
      if (bVar) {
        sB[i] = (*pb)[k];
      }
      if (cVar) {
        sC[i] = (*pc)[k];
      }
    }
  }
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let id = linear(g);
  if (id >= blockWorkgroups(CW)) {
    return;
  }
  let blk = blockOf(id, CW);
  let c = li % CW;
  let s = li / CW;
  let on = c < blk.live;
  let d = blk.d0 + min(c, blk.live - 1u);  // a real channel even on idle lanes (their results are dropped)
  let b = blk.b;
  let bd = b * p.D + d;
  let row = bd * p.L;
  let chanD = 2u * p.D * p.N;
  let Dd = chan[chanD + d];
  let bias = chan[chanD + p.D + d];
  let bVar = p.bTime != 0u;
  let cVar = p.cTime != 0u;
  // Varying B/C: the block's own (every channel of it shares them); fixed: this lane's channel's.
  let bBase = bStart(b, select(d, blk.d0, bVar));
  let cBase = cStart(b, select(d, blk.d0, cVar));
  let items = 4u * V;
  let chunk = CHUNK;
  if (s == 0u) {
    for (var gi = 0u; gi < NG; gi++) {
      sH[gi * CW + c] = vec4<f32>(0.0);
    }
  }
  // The first chunk's B and C tiles; then each chunk's next ones in registers (pb, pc) while it runs.
  var pb: array<vec4<f32>, MAXT>;
  var pc: array<vec4<f32>, MAXT>;
  for (var k = 0u; k < ST; k++) {
    if (bVar) {
      pb[k] = stageAt(bBase, p.bState, li, k, 0u);
    }
    if (cVar) {
      pc[k] = stageAt(cBase, p.cState, li, k, 0u);
    }
  }
  store(li, bVar, cVar, &pb, &pc);
  workgroupBarrier();

  // PF: the next chunk's u and δ are loaded into registers while this chunk is walked (the loads cannot
  // move across the barriers otherwise), and z at the chunk's start, not at its end.
  var nu: array<vec4<f32>, MAXV>;
  var nd: array<vec4<f32>, MAXV>;
  if (PF) {
    for (var v = 0u; v < V; v++) {
      let t = s * items + 4u * v;
      nu[v] = vec4<f32>(0.0);
      nd[v] = vec4<f32>(0.0);
      if (t < p.L) {
        nu[v] = seq4[(row + t) / 4u];
        nd[v] = seq4[(p.offDelta + row + t) / 4u];
      }
    }
  }
  var par = 0u;
  var it = 0u;
  for (var t0 = 0u; t0 < p.L; t0 += chunk) {
    let tb = t0 + s * items;
    var uv: array<vec4<f32>, MAXV>;
    var dv: array<vec4<f32>, MAXV>;
    var yv: array<vec4<f32>, MAXV>;
    var zv: array<vec4<f32>, MAXV>;
    for (var v = 0u; v < V; v++) {
      let t = tb + 4u * v;
      uv[v] = vec4<f32>(0.0);
      dv[v] = vec4<f32>(0.0);  // δ = 0 past L: the pair (1, 0), the identity
      yv[v] = vec4<f32>(0.0);
      zv[v] = vec4<f32>(0.0);
      if (t < p.L) {
        var dr: vec4<f32>;
        if (PF) {
          uv[v] = nu[v];
          dr = nd[v];
        } else {
          uv[v] = seq4[(row + t) / 4u];
          dr = seq4[(p.offDelta + row + t) / 4u];
        }
        dr += vec4<f32>(bias);
        dv[v] = select(dr, softplus4(dr), p.softplusOn != 0u);
        if (PF && p.hasZ != 0u) {
          zv[v] = seq4[(p.offZ + row + t) / 4u];
        }
      }
      if (PF) {
        let tn = t + chunk;
        nu[v] = vec4<f32>(0.0);
        nd[v] = vec4<f32>(0.0);
        if (tn < p.L) {
          nu[v] = seq4[(row + tn) / 4u];
          nd[v] = seq4[(p.offDelta + row + tn) / 4u];
        }
      }
    }
    for (var k = 0u; k < ST; k++) {
      if (bVar) {
        pb[k] = stageAt(bBase, p.bState, li, k, t0 + chunk);
      }
      if (cVar) {
        pc[k] = stageAt(cBase, p.cState, li, k, t0 + chunk);
      }
    }
    for (var gi = 0u; gi < NG; gi++) {
      let n0 = gi * 4u;
      // A·log2 e of the four states; 0 past N, where B = C = 0 too, so those lanes add nothing.
      var A2 = vec4<f32>(0.0);
      for (var k = 0u; k < 4u; k++) {
        if (n0 + k < p.N) {
          A2[k] = chan[2u * (d * p.N + n0 + k)] * LOG2E;
        }
      }
      // (1) the segment from h = 0.
      var h = vec4<f32>(0.0);
      var P = vec4<f32>(1.0);
      var q: array<vec4<f32>, 4u * MAXV>;
      for (var v = 0u; v < V; v++) {
        let t = tb + 4u * v;
        var Bs: array<vec4<f32>, 4>;  // Bs[k]: steps t..t+3 of state n0 + k
        var Cs: array<vec4<f32>, 4>;
        for (var k = 0u; k < 4u; k++) {
          Bs[k] = vec4<f32>(0.0);
          Cs[k] = vec4<f32>(0.0);
          if (t < p.L && n0 + k < p.N) {
            let at = (n0 + k) * (CHUNK / 4u) + (t - t0) / 4u;
            if (bVar) {
              Bs[k] = sB[at];
            } else {
              Bs[k] = fixed4(bBase, p.bState, n0 + k);
            }
            if (cVar) {
              Cs[k] = sC[at];
            } else {
              Cs[k] = fixed4(cBase, p.cState, n0 + k);
            }
          }
        }
        for (var e = 0u; e < 4u; e++) {
          let dl = dv[v][e];
          let a = exp2(dl * A2);
          let ct = vec4<f32>(Cs[0][e], Cs[1][e], Cs[2][e], Cs[3][e]);
          h = a * h + (dl * uv[v][e]) * vec4<f32>(Bs[0][e], Bs[1][e], Bs[2][e], Bs[3][e]);
          yv[v][e] += dot(ct, h);
          P *= a;
          q[4u * v + e] = ct * P;
        }
      }
      // (2) the segment's pair, for the segments after it.
      let slot = (it & 1u) * WG;
      sP[slot + li] = P;
      sX[slot + li] = h;
      workgroupBarrier();
      // (3) the state entering the segment, and each step's share of it.
      let hc = par * NG * CW + gi * CW + c;
      var hin = sH[hc];
      for (var j = 0u; j < s; j++) {
        hin = sP[slot + j * CW + c] * hin + sX[slot + j * CW + c];
      }
      for (var v = 0u; v < V; v++) {
        for (var e = 0u; e < 4u; e++) {
          yv[v][e] += dot(q[4u * v + e], hin);
        }
      }
      // (4) the carry out of the chunk.
      if (s == S - 1u) {
        let hn = P * hin + h;
        sH[(1u - par) * NG * CW + gi * CW + c] = hn;
        if (on && t0 + chunk >= p.L) {
          for (var k = 0u; k < 4u; k++) {
            if (n0 + k < p.N) {
              lastState[bd * p.N + n0 + k] = hn[k];
            }
          }
        }
      }
      it += 1u;
    }
    // Every lane has read this chunk's B and C (the last group's barrier): the next chunk's replace them.
    store(li, bVar, cVar, &pb, &pc);
    workgroupBarrier();
    for (var v = 0u; v < V; v++) {
      let t = tb + 4u * v;
      if (on && t < p.L) {
        var o = yv[v] + uv[v] * Dd;
        if (p.hasZ != 0u) {
          var z = zv[v];
          if (!PF) {
            z = seq4[(p.offZ + row + t) / 4u];
          }
          o *= z / (vec4<f32>(1.0) + exp(-z));
        }
        out4[(row + t) / 4u] = o;
      }
    }
    par = 1u - par;
  }
}
