// The parallel scan of one chunk of one row (b, d), one Hillis–Steele level per dispatch, for the
// step-by-step view of the Mamba stage. Unlike the fused kernel, the scan array (T, N) of pairs
// (ΔA_t, ΔB_t u_t) lives in a storage buffer here, so it can be read back after every level.
// With s = 0 the dispatch discretizes: pair[t, n] = (exp(δ'_t A_n), δ'_t u_t B_t[n]) (pairIn unused).
// With s ≥ 1 it applies one level: pair'[t] = pair[t−s] ∘ pair[t] for t ≥ s, else pair[t],
// with (a₁,b₁)∘(a₂,b₂) = (a₁a₂, a₂b₁ + b₂). One invocation per (t, n); ping-pong between buffers.

struct Params {
  batch: u32,
  D: u32,
  L: u32,
  N: u32,
  isComplex: u32,
  softplusOn: u32,
  hasZ: u32,
  offDelta: u32,
  offZ: u32,
  offC: u32,
  bsb: u32,
  bsg: u32,
  bsn: u32,
  bst: u32,
  bPer: u32,
  csb: u32,
  csg: u32,
  csn: u32,
  cst: u32,
  cPer: u32,
  row: u32,
  t0: u32,
  T: u32,
  s: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> seq: array<f32>;  // u (B, D, L) | δ (B, D, L) | z (B, D, L)
@group(0) @binding(2) var<storage, read> bc: array<f32>;  // B then C at offC
@group(0) @binding(3) var<storage, read> chan: array<f32>;  // A (D, N, 2) | D (D,) | delta_bias (D,)
@group(0) @binding(4) var<storage, read> pairIn: array<vec4<f32>>;  // (T, N): (a.re, a.im, b.re, b.im)
@group(0) @binding(5) var<storage, read_write> pairOut: array<vec4<f32>>;  // (T, N)

override WG: u32 = 64u;

fn discretize(i: u32) {
  let tl = i / p.N;
  let n = i % p.N;
  let t = p.t0 + tl;
  let b = p.row / p.D;
  let d = p.row % p.D;
  let dr = seq[p.offDelta + p.row * p.L + t] + chan[2u * p.D * p.N + p.D + d];
  let dl = select(dr, softplus(dr), p.softplusOn != 0u);
  let A = vec2<f32>(chan[2u * (d * p.N + n)], chan[2u * (d * p.N + n) + 1u]);
  let bi = b * p.bsb + (d / p.bPer) * p.bsg + n * p.bsn + t * p.bst;
  let bv = vec2<f32>(bc[bi], select(0.0, bc[bi + 1u], p.isComplex != 0u));
  let a = cexpAcc(dl * A);
  pairOut[i] = vec4<f32>(a, (dl * seq[p.row * p.L + t]) * bv);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= p.T * p.N) {
    return;
  }
  if (p.s == 0u) {
    discretize(i);
    return;
  }
  let tl = i / p.N;
  let cur = pairIn[i];
  if (tl < p.s) {
    pairOut[i] = cur;
    return;
  }
  let prev = pairIn[i - p.s * p.N];
  pairOut[i] = vec4<f32>(cmul(prev.xy, cur.xy), cmul(cur.xy, prev.zw) + cur.zw);
}
