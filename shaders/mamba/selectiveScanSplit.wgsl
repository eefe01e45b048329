// Fused selective scan (Mamba-1) split along L: S chunks of Q steps, so S times the lanes of a scan that
// walks all of L in one lane. This file is both chunk passes; the prelude's OUT picks one:
//   OUT = false, the chunk-state pass: per (channel, W states, chunk) the recurrence
//     h_t = exp(δ'_t A)·h_{t-1} + δ'_t u_t B_t from h = 0 over the chunk; writes its end state and Σδ' of
//     the chunk (reads u, δ, B only).
//   OUT = true, the output pass: the same walk from the chunk's true start state (which
//     selectiveScanSplitCarry.wgsl made in between), y_t = C_t·h_t + D u_t, gated by silu(z_t), written once.
// Why this shape (H200, D=4096, N=16, L=4K; engine/programs/mamba/selectiveScanSplit.ts has the numbers):
//   - Lanes. One lane per (channel, W=4 states) down all of L is 16,384 lanes: 4 warps an SM, one a
//     scheduler, and every latency shows. S chunks make it S·16,384 (S=32: 4 waves of 32 warps an SM);
//     the price is reading u, δ, B twice and twice the exponentials.
//   - The SFU. One exp2 per (d, n, t) and pass is 268M at 4K, 0.064 ms a pass at 16 a clock an SM; with
//     softplus (exp, log) in both passes and silu (exp, rcp) in the second, once per (channel, step), the
//     SFU's 2.4 a (d, n, t) take 0.15 ms: this form's floor, over the traffic's (0.1 ms with the re-read). So
//     the first `soft` states of a lane can take exp2 on the FMA units instead (softExp2: Cody–Waite split,
//     a degree-5 polynomial, 1.9e-7 relative), which trades one SFU slot (8 issue cycles of a scheduler a
//     warp) for about 12 issue slots: worth it where the SFU is the bound and issue slots are left over,
//     as in the chunk-state pass, whose other per-state work is about 4 instructions.
//   - Staging. u, δ' (softplus once per (channel, step), not once per lane) and B (C) of T steps go through
//     workgroup memory as in selectiveScanTile.wgsl, K channels sharing one B/C tile; but without its
//     register prefetch of the next tile: with 8+ warps a scheduler other workgroups hide a tile's loads,
//     and fewer registers a lane keep more of them resident. Only z, read by the lane that writes the
//     output, is loaded before the steps (gateOf), so its latency is not added to every tile's.
//   - Chunks start on a tile (Q is a multiple of T), so no tile straddles two chunks.
// Workgroups: per chunk, the tile kernel's blocks: per batch, channels in blocks of q = gcd(channels per B
// group, per C group), each block in ⌈q / K⌉ workgroups (fixed B or C: per channel, in registers).
// The chunk buffer (the same for all three kernels), SV = vec{W}<f32>, BD = batch·D:
//   chunks[(c·BD + b·D + d)·NL + j]   end state (pass 1), then start state (the carry), lane j's W states
//   chunks[S·BD·NL + c·BD + b·D + d]  Σδ' of chunk c (in .x)
// Bindings 0..3 and bStart/cStart: selectiveScanParams.wgsl. The prelude defines W, SV, OUT and
// decay(x: SV) -> SV, exp2 of each state's δ'·A·log2 e: the first `soft` states through softExp2, the rest
// on the SFU, written out per component by the program (selectiveScanSplit.ts decayWgsl), so no driver has
// to unroll a loop over a dynamic vector index to keep the choice off the SFU.

@group(0) @binding(4) var<storage, read> seq4: array<vec4<f32>>;  // seq as vec4: u | δ | z
@group(0) @binding(5) var<storage, read> bc4: array<vec4<f32>>;  // bc as vec4: B | C
@group(0) @binding(6) var<storage, read_write> chunks: array<SV>;  // (S, BD, NL) states | (S, BD) Σδ'
@group(0) @binding(7) var<storage, read_write> out4: array<vec4<f32>>;  // (B, D, L / 4)

/** Channels per workgroup. */
override K: u32 = 16u;
/** Lanes per channel: ⌈N / W⌉. */
override NL: u32 = 4u;
/** Steps per staged tile, a multiple of 4. */
override T: u32 = 16u;
/** K · NL invocations. */
override WG: u32 = 64u;
/** Steps per chunk Q, a multiple of T. */
override Q: u32 = 128u;
override T4: u32 = T / 4u;
/** Padded row stride of the step-major tiles in vec4s (odd: no bank conflicts). */
override TP: u32 = T4 + 1u;
/** Staged vec4s a lane moves per tile: u/δ (K·T4 over WG), B/C (NL·W·T4 over WG). */
override RU: u32 = (K * T4 + WG - 1u) / WG;
override RB: u32 = (NL * W * T4 + WG - 1u) / WG;
/** At least RU: the program's layout (the tile kernel's) keeps ⌈T4 / NL⌉ within it. */
const MAXR: u32 = 8u;
const LOG2E: f32 = 1.4426950408889634;

var<workgroup> sU: array<vec4<f32>, K * TP>;  // (K, T/4) u of the tile
var<workgroup> sDl: array<vec4<f32>, K * TP>;  // (K, T/4) δ'; 0 past L and on idle channels
var<workgroup> sB: array<SV, T * NL>;  // (T, NL·W) B_t, step-major; 0 past N
var<workgroup> sC: array<SV, select(1u, T * NL, OUT)>;  // (T, NL·W) C_t (output pass only)
var<workgroup> sY: array<vec4<f32>, select(1u, WG * TP, OUT)>;  // (K, NL, T/4) partial y_t (output pass)

/**
 * 2^x on the FMA units: x = n + f with n = rint(x) by the 1.5·2^23 trick (no conversion unit), f in
 * [-0.5, 0.5], 2^f by a degree-5 polynomial with p(0) = 1 exactly (so a step with δ' = 0 stays the
 * identity), 2^n added to the exponent bits (one LEA). n is clamped to ±126 (past which f32 has no normal
 * result) on the shifted value j itself, and f below at -0.5: the clamp between x + M and j - M also keeps a
 * compiler that reassociates floats (SwiftShader's does) from folding (x + M) - M back to x, which made f = 0.
 * About 12 instructions on the FMA and ALU pipes for one SFU slot.
 */
fn softExp2(x: f32) -> f32 {
  let j = clamp(x + 12582912.0, 12582786.0, 12583038.0);
  let f = max(x - (j - 12582912.0), -0.5);  // past +126 f grows and so does the result, as it should
  var q = 1.326472731e-3;
  q = fma(q, f, 9.671512991e-3);
  q = fma(q, f, 5.550733581e-2);
  q = fma(q, f, 2.402224243e-1);
  q = fma(q, f, 6.931470037e-1);
  q = fma(q, f, 1.0);
  return bitcast<f32>(bitcast<u32>(q) + (bitcast<u32>(j) << 23u));
}

/** W values of a fixed (D, N) operand for states n0.. of channel d at base (0 past N). */
fn fixedOf(base: u32, stride: u32, n0: u32) -> SV {
  var v = SV(0.0);
  for (var s = 0u; s < W; s++) {
    if (n0 + s < p.N) {
      v[s] = bc[base + (n0 + s) * stride];
    }
  }
  return v;
}

/** Four steps of one state of B or C, staged step-major: the vec4 v holds steps 4k..4k+3 of state n. */
fn stageState(n: u32, k: u32, v: vec4<f32>, toC: bool) {
  let i = 4u * k * NL + n / W;
  let m = n % W;
  if (toC) {
    sC[i][m] = v.x;
    sC[i + NL][m] = v.y;
    sC[i + 2u * NL][m] = v.z;
    sC[i + 3u * NL][m] = v.w;
  } else {
    sB[i][m] = v.x;
    sB[i + NL][m] = v.y;
    sB[i + 2u * NL][m] = v.z;
    sB[i + 3u * NL][m] = v.w;
  }
}

/** (A) The tile at t0 into workgroup memory: u, δ' = softplus(δ + bias) once per (channel, step), B, C. */
fn stage(blk: Block, li: u32, t0: u32) {
  for (var r = 0u; r < RU; r++) {
    let e = li + r * WG;
    if (e < K * T4) {
      let ce = e / T4;
      let k = e % T4;
      let t = t0 + 4u * k;
      var u = vec4<f32>(0.0);
      var dl = vec4<f32>(0.0);  // δ' = u = 0 past L and on idle channels: the identity step
      if (ce < blk.live && t < p.L) {
        let row = (blk.b * p.D + blk.d0 + ce) * p.L;
        u = seq4[(row + t) / 4u];
        let dr = seq4[(p.offDelta + row + t) / 4u] + vec4<f32>(chan[2u * p.D * p.N + p.D + blk.d0 + ce]);
        dl = dr;
        if (p.softplusOn != 0u) {
          dl = softplus4(dr);
        }
      }
      sU[ce * TP + k] = u;
      sDl[ce * TP + k] = dl;
    }
  }
  let bRow = bStart(blk.b, blk.d0);
  let cRow = cStart(blk.b, blk.d0);
  for (var r = 0u; r < RB; r++) {
    let e = li + r * WG;
    if (e < NL * W * T4) {
      let n = e % (NL * W);
      let k = e / (NL * W);
      let t = t0 + 4u * k;
      let live = n < p.N && t < p.L;
      var b = vec4<f32>(0.0);
      if (live && p.bTime != 0u) {
        b = bc4[(bRow + n * p.bState + t) / 4u];
      }
      stageState(n, k, b, false);
      if (OUT) {
        var c = vec4<f32>(0.0);
        if (live && p.cTime != 0u) {
          c = bc4[(cRow + n * p.cState + t) / 4u];
        }
        stageState(n, k, c, true);
      }
    }
  }
}

/** z of the output vec4s this lane writes in (F), loaded before (D) so its latency hides behind the steps. */
fn gateOf(blk: Block, li: u32, t0: u32, pz: ptr<function, array<vec4<f32>, MAXR>>) {
  for (var r = 0u; r < RU; r++) {
    let e = li + r * WG;
    let ce = e / T4;
    let t = t0 + 4u * (e % T4);
    (*pz)[r] = vec4<f32>(0.0);
    if (p.hasZ != 0u && e < K * T4 && ce < blk.live && t < p.L) {
      (*pz)[r] = seq4[(p.offZ + (blk.b * p.D + blk.d0 + ce) * p.L + t) / 4u];
    }
  }
}

/** (F) Each output vec4 of the tile: its channel's NL partial sums, the gate silu(z), one write. */
fn emit(blk: Block, li: u32, t0: u32, pz: ptr<function, array<vec4<f32>, MAXR>>) {
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
        let z = (*pz)[r];
        y *= z / (vec4<f32>(1.0) + exp(-z));
      }
      out4[((blk.b * p.D + blk.d0 + ce) * p.L + t) / 4u] = y;
    }
  }
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let id = linear(g);
  let per = blockWorkgroups(K);  // workgroups of one chunk (scanBlocks.wgsl)
  let S = (p.L + Q - 1u) / Q;
  if (id >= per * S) {
    return;
  }
  let c = id / per;  // the chunk: steps c·Q .. min(L, (c + 1)·Q)
  let blk = blockOf(id % per, K);
  let ch = li / NL;  // this lane's channel in the workgroup
  let gl = li % NL;  // its lane in the channel: states gl·W ..
  let n0 = gl * W;
  let on = ch < blk.live;
  let d = blk.d0 + min(ch, blk.live - 1u);  // a real channel even on idle lanes (their results are dropped)
  let bd = blk.b * p.D + d;
  let BD = p.batch * p.D;
  let bVar = p.bTime != 0u;
  let cVar = p.cTime != 0u;
  var A2 = SV(0.0);  // A·log2 e: exp(δ'A) = exp2(δ'·A2); 0 past N (B = C = 0 there too)
  for (var s = 0u; s < W; s++) {
    if (n0 + s < p.N) {
      A2[s] = chan[2u * (d * p.N + n0 + s)] * LOG2E;
    }
  }
  let bFix = fixedOf(bStart(blk.b, d), p.bState, n0);
  let cFix = fixedOf(cStart(blk.b, d), p.cState, n0);
  let dSel = select(0.0, chan[2u * p.D * p.N + d], gl == 0u && on);  // u·D once per channel: on lane 0
  let at = (c * BD + bd) * NL + gl;
  var h = SV(0.0);
  if (OUT) {
    h = chunks[at];  // the carry's start state (zeros for chunk 0)
  }
  var sum = vec4<f32>(0.0);  // Σδ' of the chunk (the chunk-state pass)
  var pz: array<vec4<f32>, MAXR>;  // z of this lane's outputs in the tile (the output pass)
  let t1 = min(p.L, (c + 1u) * Q);
  for (var t0 = c * Q; t0 < t1; t0 += T) {
    // Free to overwrite: every lane passed the last tile's second barrier, so none still reads it.
    stage(blk, li, t0);
    if (OUT) {
      gateOf(blk, li, t0, &pz);
    }
    workgroupBarrier();
    // (D) T steps of this lane's W states; past L δ' = u = 0 leaves h as it is. The four steps of a vec4
    // are written out (no dynamic vector index for the driver to turn into selects).
    for (var k = 0u; k < T4; k++) {
      let dl = sDl[ch * TP + k];
      let u = sU[ch * TP + k];
      let du = dl * u;
      let i = 4u * k * NL + gl;
      h = decay(dl.x * A2) * h + du.x * select(bFix, sB[i], bVar);
      var y = vec4<f32>(0.0);
      if (OUT) {
        y.x = dot(select(cFix, sC[i], cVar), h);
      }
      h = decay(dl.y * A2) * h + du.y * select(bFix, sB[i + NL], bVar);
      if (OUT) {
        y.y = dot(select(cFix, sC[i + NL], cVar), h);
      }
      h = decay(dl.z * A2) * h + du.z * select(bFix, sB[i + 2u * NL], bVar);
      if (OUT) {
        y.z = dot(select(cFix, sC[i + 2u * NL], cVar), h);
      }
      h = decay(dl.w * A2) * h + du.w * select(bFix, sB[i + 3u * NL], bVar);
      if (OUT) {
        y.w = dot(select(cFix, sC[i + 3u * NL], cVar), h);
        sY[li * TP + k] = y + dSel * u;
      } else {
        sum += dl;
      }
    }
    workgroupBarrier();
    if (OUT) {
      // sY is next written in the next tile's (D), after its first barrier, which waits for this.
      emit(blk, li, t0, &pz);
    }
  }
  if (!OUT && on) {
    chunks[at] = h;
    if (gl == 0u) {
      chunks[S * BD * NL + c * BD + bd] = SV(sum.x + sum.y + sum.z + sum.w);
    }
  }
}
