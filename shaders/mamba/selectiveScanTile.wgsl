// Fused selective scan (Mamba-1), lanes on (channel, states): K channels per workgroup, each lane owning W
// consecutive states of one channel (NL = ⌈N / W⌉ lanes a channel, WG = K·NL) and running their
// recurrence h_t = exp(δ_t A)·h_{t-1} + δ_t u_t B_t straight down L in registers. No scan, no replay, no
// carry between chunks: the work is D·N/W independent chains, each a dependent FMA a step, and the
// exponentials, loads and dots around it are independent of h, so they overlap it.
// Real A only; L and every B/C row start a multiple of 4 (the program checks, else it runs another form).
// Why this shape (H200, D=4096, N=16, L=4K; selectiveScanRow's profile in BENCHMARKS.md):
//   - B and C: the row kernel's workgroups re-read their group's B and C once per channel (4096× over,
//     a third of its time). Here the K channels of a workgroup share one staged (T, N) tile of each, so
//     L2 serves B and C D/K times instead of D times.
//   - The time scan: the row kernel pays a subgroup scan, a barrier and a cross-subgroup combine per
//     state group and chunk, plus replaying every pair. With lanes on states the recurrence is sequential
//     per lane and exact; what parallel work it loses (D·N/W lanes, not D·L/items) the W independent
//     states and the unrolled tile win back as instruction-level parallelism.
//   - y_t = Σ_n C_t[n] h_t[n] spans the NL lanes of a channel: each lane adds its W states (a dot), the
//     NL partial sums meet in workgroup memory (one vec4 store a lane per 4 steps, NL vec4 loads per 4
//     outputs: 0.5/W instructions per (step, state)), not subgroupAdd (log2 NL shuffles every step).
//   - More loads in flight: tile i+1 (u, δ, B, C) is fetched into registers while tile i is computed,
//     and tile i's z too, so a tile's DRAM latency hides behind the tile before it.
//   - What is left is the exponentials: D·L·N of them on the SFU (16 a clock an SM on the H200) take
//     0.064 ms at L=4K, as long as the compulsory traffic (0.065 ms); softplus and silu add 4 a
//     (channel, step). So exp2 with A·log2 e premultiplied (no extra multiply), each computed once.
// Per tile of T steps: (A) the prefetched tile goes to workgroup memory (δ' = softplus(δ + bias) already
// made, once per (channel, step)); (B) the next tile's loads and this tile's z are issued; barrier; (D) each
// lane walks the T steps: h = exp2(δ'·A·log2 e)·h + (δ'u)·B_t, y_t partial = C_t·h (+ u_t·D on the
// channel's lane 0); barrier; (F) each output vec4 sums its channel's NL partials, gates by silu(z) and is
// written once, and the next tile's δ' is made from its prefetched δ.
// Workgroups: per batch, channels in blocks of q = gcd(channels per B group, per C group) (so one staged
// B/C tile serves a whole workgroup), each block in ⌈q / K⌉ workgroups; channels past a block idle.
// Fixed B or C (D, N) is per channel: each lane keeps its W values in registers instead.
// Bindings 0..3 (p, seq, bc, chan) and bStart/cStart: selectiveScanParams.wgsl. The prelude defines W and
// the state vector SV = vec{W}<f32> (engine/programs/mamba/selectiveScanTile.ts).

@group(0) @binding(4) var<storage, read> seq4: array<vec4<f32>>;  // seq as vec4: u | δ | z
@group(0) @binding(5) var<storage, read> bc4: array<vec4<f32>>;  // bc as vec4: B | C
@group(0) @binding(6) var<storage, read_write> out4: array<vec4<f32>>;  // (B, D, L / 4)
@group(0) @binding(7) var<storage, read_write> lastState: array<f32>;  // (B, D, N)

/** Channels per workgroup. */
override K: u32 = 16u;
/** Lanes per channel: ⌈N / W⌉. */
override NL: u32 = 4u;
/** Steps per tile, a multiple of 4. */
override T: u32 = 32u;
/** K · NL invocations. */
override WG: u32 = 64u;
/** vec4s of steps per tile, and the padded row stride of the step-major tiles (odd: no bank conflicts). */
override T4: u32 = T / 4u;
override TP: u32 = T4 + 1u;
/** Prefetch slots a lane holds per tile: u/δ/z vec4s (K·T4 over WG) and B/C vec4s (NL·W·T4 over WG). */
override RU: u32 = (K * T4 + WG - 1u) / WG;
override RB: u32 = (NL * W * T4 + WG - 1u) / WG;
const MAXR: u32 = 8u;
const LOG2E: f32 = 1.4426950408889634;

var<workgroup> sU: array<vec4<f32>, K * TP>;  // (K, T/4) u of the tile
var<workgroup> sDl: array<vec4<f32>, K * TP>;  // (K, T/4) δ' of the tile; 0 past L and past the block
var<workgroup> sB: array<SV, T * NL>;  // (T, NL·W) B_t of the tile, step-major; 0 past N
var<workgroup> sC: array<SV, T * NL>;  // (T, NL·W) C_t
var<workgroup> sY: array<vec4<f32>, WG * TP>;  // (K, NL, T/4) each lane's partial y_t

/**
 * δ' = softplus(δ + bias) (or δ + bias) of the tile at t0, in place in a lane's δ slots; 0 past L and on
 * idle channels (the pair (1, 0), the identity). Run in (F) on the next tile's slots, beside the outputs'
 * gates, so its exponentials overlap theirs and (A) only stores (with softplus's branches, in (A), it cost
 * 0.049 ms of 0.434 at L = 4K: BENCHMARKS.md, run J).
 */
fn deltaPrime(blk: Block, li: u32, t0: u32, pd: ptr<function, array<vec4<f32>, MAXR>>) {
  let bias = 2u * p.D * p.N + p.D + blk.d0;
  for (var r = 0u; r < RU; r++) {
    let e = li + r * WG;
    let ce = e / T4;
    let dr = (*pd)[r] + vec4<f32>(chan[bias + min(ce, blk.live - 1u)]);
    let dl = select(dr, softplus4(dr), p.softplusOn != 0u);
    (*pd)[r] = select(vec4<f32>(0.0), dl, ce < blk.live && t0 + 4u * (e % T4) < p.L);
  }
}

/** W values of a fixed (D, N) operand for states n0.. of channel d at base (0 past N). */
fn fixedStates(base: u32, stride: u32, n0: u32) -> SV {
  var v = SV(0.0);
  for (var s = 0u; s < W; s++) {
    if (n0 + s < p.N) {
      v[s] = bc[base + (n0 + s) * stride];
    }
  }
  return v;
}

/** One step of a lane's W states: h ← exp(δA)·h + δu·B_t; returns its part of y_t, C_t·h. */
fn advance(h: ptr<function, SV>, A2: SV, dl: f32, u: f32, Bt: SV, Ct: SV) -> f32 {
  *h = exp2(dl * A2) * (*h) + (dl * u) * Bt;
  return dot(Ct, *h);
}

/** Issues the loads of the tile at t0 into a lane's slots: zeros past L, past the block and past N. */
fn prefetch(
  blk: Block,
  li: u32,
  t0: u32,
  pu: ptr<function, array<vec4<f32>, MAXR>>,
  pd: ptr<function, array<vec4<f32>, MAXR>>,
  pb: ptr<function, array<vec4<f32>, MAXR>>,
  pc: ptr<function, array<vec4<f32>, MAXR>>,
) {
  for (var r = 0u; r < RU; r++) {
    let e = li + r * WG;
    let ce = e / T4;
    let t = t0 + 4u * (e % T4);
    (*pu)[r] = vec4<f32>(0.0);
    (*pd)[r] = vec4<f32>(0.0);
    if (e < K * T4 && ce < blk.live && t < p.L) {
      let row = (blk.b * p.D + blk.d0 + ce) * p.L;
      (*pu)[r] = seq4[(row + t) / 4u];
      (*pd)[r] = seq4[(p.offDelta + row + t) / 4u];
    }
  }
  let bRow = bStart(blk.b, blk.d0);
  let cRow = cStart(blk.b, blk.d0);
  for (var r = 0u; r < RB; r++) {
    let e = li + r * WG;
    let n = e % (NL * W);
    let t = t0 + 4u * (e / (NL * W));
    (*pb)[r] = vec4<f32>(0.0);
    (*pc)[r] = vec4<f32>(0.0);
    if (e < NL * W * T4 && n < p.N && t < p.L) {
      if (p.bTime != 0u) {
        (*pb)[r] = bc4[(bRow + n * p.bState + t) / 4u];
      }
      if (p.cTime != 0u) {
        (*pc)[r] = bc4[(cRow + n * p.cState + t) / 4u];
      }
    }
  }
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let id = linear(g);
  if (id >= blockWorkgroups(K)) {
    return;
  }
  let blk = blockOf(id, K);
  let c = li / NL;  // this lane's channel in the workgroup
  let gl = li % NL;  // and its lane in the channel: states gl·W ..
  let n0 = gl * W;
  let on = c < blk.live;
  let d = blk.d0 + min(c, blk.live - 1u);  // a real channel even on idle lanes (their results are dropped)
  let bd = blk.b * p.D + d;
  let chanD = 2u * p.D * p.N;
  let bVar = p.bTime != 0u;
  let cVar = p.cTime != 0u;
  var A2 = SV(0.0);  // A·log2 e, so exp(δA) = exp2(δ·A2); 0 past N (B = C = 0 there too)
  for (var s = 0u; s < W; s++) {
    if (on && n0 + s < p.N) {
      A2[s] = chan[2u * (d * p.N + n0 + s)] * LOG2E;
    }
  }
  let bFix = fixedStates(bStart(blk.b, d), p.bState, n0);
  let cFix = fixedStates(cStart(blk.b, d), p.cState, n0);
  let dSel = select(0.0, chan[chanD + d], gl == 0u && on);  // u·D once per channel: on its lane 0
  var h = SV(0.0);

  var pu: array<vec4<f32>, MAXR>;  // the next tile, in flight: u, δ of (channel, vec4) slots
  var pd: array<vec4<f32>, MAXR>;
  var pb: array<vec4<f32>, MAXR>;  // B, C of (state, vec4) slots: four steps of one state
  var pc: array<vec4<f32>, MAXR>;
  var pz: array<vec4<f32>, MAXR>;  // z of this lane's output slots
  prefetch(blk, li, 0u, &pu, &pd, &pb, &pc);
  deltaPrime(blk, li, 0u, &pd);
  for (var t0 = 0u; t0 < p.L; t0 += T) {
    // (A) Stage tile t0. Free: every lane passed the last pass's second barrier, so none still reads it.
    for (var r = 0u; r < RU; r++) {
      let e = li + r * WG;
      if (e < K * T4) {
        let ce = e / T4;
        let k = e % T4;
        sU[ce * TP + k] = pu[r];
        sDl[ce * TP + k] = pd[r];  // δ' already (deltaPrime)
      }
    }
    for (var r = 0u; r < RB; r++) {
      let e = li + r * WG;
      if (e < NL * W * T4) {
        let n = e % (NL * W);
        let k = e / (NL * W);
        let i = 4u * k * NL + n / W;  // step 4k, this state's lane; steps 4k+1.. are NL further each
        let m = n % W;
        sB[i][m] = pb[r].x;
        sC[i][m] = pc[r].x;
        sB[i + NL][m] = pb[r].y;
        sC[i + NL][m] = pc[r].y;
        sB[i + 2u * NL][m] = pb[r].z;
        sC[i + 2u * NL][m] = pc[r].z;
        sB[i + 3u * NL][m] = pb[r].w;
        sC[i + 3u * NL][m] = pc[r].w;
      }
    }
    // (B) The next tile's loads, in flight through (D); z of this one's outputs.
    prefetch(blk, li, t0 + T, &pu, &pd, &pb, &pc);
    for (var r = 0u; r < RU; r++) {
      let e = li + r * WG;
      let ce = e / T4;
      let t = t0 + 4u * (e % T4);
      pz[r] = vec4<f32>(0.0);
      if (p.hasZ != 0u && e < K * T4 && ce < blk.live && t < p.L) {
        pz[r] = seq4[(p.offZ + (blk.b * p.D + blk.d0 + ce) * p.L + t) / 4u];
      }
    }
    workgroupBarrier();
    // (D) T steps of this lane's W states; past L δ' = u = 0 leaves h as it is. The four steps of a vec4
    // are written out (no dynamic vector index for the driver to turn into selects or local memory).
    for (var k = 0u; k < T4; k++) {
      let dl = sDl[c * TP + k];
      let u = sU[c * TP + k];
      let i = 4u * k * NL + gl;
      let y0 = advance(&h, A2, dl.x, u.x, select(bFix, sB[i], bVar), select(cFix, sC[i], cVar));
      let i1 = i + NL;
      let y1 = advance(&h, A2, dl.y, u.y, select(bFix, sB[i1], bVar), select(cFix, sC[i1], cVar));
      let i2 = i1 + NL;
      let y2 = advance(&h, A2, dl.z, u.z, select(bFix, sB[i2], bVar), select(cFix, sC[i2], cVar));
      let i3 = i2 + NL;
      let y3 = advance(&h, A2, dl.w, u.w, select(bFix, sB[i3], bVar), select(cFix, sC[i3], cVar));
      sY[li * TP + k] = vec4<f32>(y0, y1, y2, y3) + dSel * u;
    }
    workgroupBarrier();
    // (F) Each output vec4: its channel's NL partial sums, the gate, one write. sY is next written in the
    // next pass's (D), after that pass's first barrier, which waits for this.
    for (var r = 0u; r < RU; r++) {
      let e = li + r * WG;
      let ce = e / T4;
      let k = e % T4;
      let t = t0 + 4u * k;
      if (e < K * T4 && ce < blk.live && t < p.L) {
        var y = vec4<f32>(0.0);
        for (var j = 0u; j < NL; j++) {
          y += sY[(ce * NL + j) * TP + k];
        }
        if (p.hasZ != 0u) {
          y *= pz[r] / (vec4<f32>(1.0) + exp(-pz[r]));
        }
        out4[((blk.b * p.D + blk.d0 + ce) * p.L + t) / 4u] = y;
      }
    }
    deltaPrime(blk, li, t0 + T, &pd);
  }
  if (on) {
    for (var s = 0u; s < W; s++) {
      if (n0 + s < p.N) {
        lastState[bd * p.N + n0 + s] = h[s];
      }
    }
  }
}
