// Carry pass of the portable (MODE 1/2) chunked selective scan: one invocation per (row b·D + d,
// state n) walks the chunks in order, h_0 = 0, h_{c+1} = a_c h_c + b_c, replacing each chunk's
// aggregate decay a_c with its carry-in h_c in place, and writes last_state = h_nChunks.
// Traffic: the (nChunks, B·D, N) aggregates are read once and the carries written once; nothing of
// size L·D·N. The grid may be folded (engine/gpu/grid.ts); invocations past rows·N return.

struct Params {
  rows: u32,
  N: u32,
  nChunks: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> carry: array<u32>;  // [unused] + (nChunks, B·D, N, 2[, 2])
@group(0) @binding(2) var<storage, read_write> lastState: array<f32>;  // (B, D, N[, 2])

override WG: u32 = 64u;
override COMPLEX: bool = false;

fn cx() -> u32 {
  return select(1u, 2u, COMPLEX);
}

fn load(i: u32) -> vec2<f32> {
  return vec2<f32>(bitcast<f32>(carry[i]), select(0.0, bitcast<f32>(carry[i + cx() - 1u]), COMPLEX));
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let i = invocation(g, li, WG);
  if (i >= p.rows * p.N) {
    return;
  }
  var h = vec2<f32>(0.0, 0.0);
  for (var c = 0u; c < p.nChunks; c++) {
    let ag = 1u + (c * p.rows * p.N + i) * 2u * cx();
    let a = load(ag);
    let b = load(ag + cx());
    carry[ag] = bitcast<u32>(h.x);
    if (COMPLEX) {
      carry[ag + 1u] = bitcast<u32>(h.y);
    }
    if (COMPLEX) {
      h = cmul(a, h) + b;
    } else {
      h = vec2<f32>(a.x * h.x + b.x, 0.0);
    }
  }
  lastState[i * cx()] = h.x;
  if (COMPLEX) {
    lastState[i * 2u + 1u] = h.y;
  }
}
