// P · V for attention/flashAttentionFast.wgsl through workgroup memory: each lane writes its RM × RN
// block of P into Ps (BR rows padded to BC/4 + 1 vec4), a barrier, and every lane reads its rows' whole P
// row back a vec4 at a time. Ps doubles as the shared row reductions' scratch
// (flashAttentionFastShared.wgsl). Twin of flashAttentionFastPShuffle.wgsl.

const PS: u32 = BC / 4u + 1u;  // padded row stride (vec4) of Ps
var<workgroup> Ps: array<vec4<f32>, BR * PS>;  // (Br, Bc): P; before it, the shared row reduction's scratch

const P_SHUFFLE: bool = false;  // the main loop stores each lane's P into Ps

// O ← O + P V over the tile (P from Ps, V from Vs). Uniform control flow only.
fn accumulatePV(at: At, acc: ptr<function, array<array<vec4<f32>, DV>, RM>>) {
  workgroupBarrier();
  for (var j4 = 0u; j4 < BC / 4u; j4++) {
    var pf: array<vec4<f32>, RM>;
    for (var i = 0u; i < RM; i++) {
      pf[i] = Ps[(at.rg + NRG * i) * PS + j4];
    }
    for (var e = 0u; e < 4u; e++) {
      for (var ch = 0u; ch < DV; ch++) {
        let vf = Vs[(j4 * 4u + e) * D4 + ch * TC + at.cg];
        for (var i = 0u; i < RM; i++) {
          (*acc)[i][ch] = fma(vec4<f32>(pf[i][e]), vf, (*acc)[i][ch]);
        }
      }
    }
  }
}
