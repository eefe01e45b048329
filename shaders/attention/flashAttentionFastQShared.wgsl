// Q for attention/flashAttentionFast.wgsl staged in workgroup memory: the tile is read from storage once,
// scaled by scale·log2 e, into Qs (BR rows padded to D/4 + 1 vec4, rows past sq zero), and the scores read
// it from there. Its twin flashAttentionFastQStorage.wgsl reads storage instead.

const QS: u32 = D4 + 1u;  // padded row stride (vec4) of Qs
var<workgroup> Qs: array<vec4<f32>, BR * QS>;  // (Br, d) · scale · log2 e

fn loadQ(tid: u32, at: At) {
  let scale = p.scale * LOG2E;
  for (var idx = tid; idx < BR * D4; idx += WG) {
    let r = idx / D4;
    let c4 = idx % D4;
    var x = vec4<f32>(0.0);
    if (r < at.rows) {
      x = q[qAt(at.b, at.r0 + r, at.hh) / 4u + c4] * scale;
    }
    Qs[r * QS + c4] = x;
  }
}

// Where row i of this invocation's block starts, and its c4-th vec4.
fn qRow(at: At, i: u32) -> u32 {
  return (at.rg + NRG * i) * QS;
}

fn qGet(r: u32, c4: u32) -> vec4<f32> {
  return Qs[r + c4];
}

// Q is scaled already.
const Q_STORAGE: bool = false;
