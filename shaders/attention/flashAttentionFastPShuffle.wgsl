// P · V for attention/flashAttentionFast.wgsl on subgroup shuffles: key j = c + TC·n of the tile is held by
// lane c of the row group (as its n-th score), so each lane takes P[row][j] from that lane with one
// shuffle per row and key: no P tile in workgroup memory, and no barrier between the softmax and P · V.
// Needs the subgroup row reductions (flashAttentionFastSg.wgsl: a row group is TC consecutive lanes of one
// subgroup, lane0 the first); the program pairs them. Twin of flashAttentionFastPShared.wgsl.

// The main loop keeps each lane's P in pt; Ps is one vec4 for the loop's constant-false branch to name.
const P_SHUFFLE: bool = true;
const PS: u32 = 1u;
var<workgroup> Ps: array<vec4<f32>, 1>;

// O ← O + P V over the tile (P from the row's lanes, V from Vs).
fn accumulatePV(at: At, acc: ptr<function, array<array<vec4<f32>, DV>, RM>>) {
  for (var n = 0u; n < RN; n++) {
    for (var c = 0u; c < TC; c++) {
      let j = c + TC * n;
      var pv: array<f32, RM>;
      for (var i = 0u; i < RM; i++) {
        pv[i] = subgroupShuffle(pt[i][n], at.lane0 + c);
      }
      for (var ch = 0u; ch < DV; ch++) {
        let vf = Vs[j * D4 + ch * TC + at.cg];
        for (var i = 0u; i < RM; i++) {
          (*acc)[i][ch] = fma(vec4<f32>(pv[i]), vf, (*acc)[i][ch]);
        }
      }
    }
  }
}
