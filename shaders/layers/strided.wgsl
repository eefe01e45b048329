// Strided elementwise map, the glue between the blocks' layers: over an index space (i, j, k) of
// n0 × n1 × n2, dst[dstOff + i·d0 + j·d1 + k·d2] = act(src[srcOff + i·s0 + j·s1 + k·s2] + bias[j]) ·
// silu(src[gateOff + i·s0 + j·s1 + k·s2]). The bias and the silu gate are optional (hasBias, hasGate);
// act is MODE 0 identity, 1 −exp (A = −exp(A_log)), 2 softplus (torch threshold 20). With strides this is
// a transpose (b, L, C) <-> (b, C, L), a column split of a packed projection, a copy into a slice of a
// packed buffer, or the Mamba-2 MLP branch silu(z0)·x0.
// Traffic: one invocation per element reads its value (and its gate and bias) once and writes once; no
// workgroup memory. A transpose reads with stride s (uncoalesced) and writes contiguously; these run on
// the blocks' activations, a small part of the time next to the projections and the scans. The grid may
// be folded (engine/gpu/grid.ts); invocations past count return.

struct Params {
  n1: u32,
  n2: u32,
  count: u32,
  srcOff: u32,
  s0: u32,
  s1: u32,
  s2: u32,
  dstOff: u32,
  d0: u32,
  d1: u32,
  d2: u32,
  gateOff: u32,
  hasGate: u32,
  hasBias: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;  // any layout, read through (s0, s1, s2)
@group(0) @binding(2) var<storage, read> bias: array<f32>;  // (n1,), or a placeholder
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;  // any layout, written through (d0, d1, d2)

override WG: u32 = 64u;
override MODE: u32 = 0u;

// Entry: common/perElement.wgsl, one invocation per element below elements().
fn elements() -> u32 { return p.count; }

fn element(e: u32) {
  let k = e % p.n2;
  let j = (e / p.n2) % p.n1;
  let i = e / (p.n2 * p.n1);
  let at = i * p.s0 + j * p.s1 + k * p.s2;
  var v = src[p.srcOff + at];
  if (p.hasBias != 0u) {
    v += bias[j];
  }
  if (MODE == 1u) {
    v = -exp(v);
  } else if (MODE == 2u) {
    v = softplus(v);
  }
  if (p.hasGate != 0u) {
    v *= silu(src[p.gateOff + at]);
  }
  dst[p.dstOff + i * p.d0 + j * p.d1 + k * p.d2] = v;
}
