// The parallel scan of one chunk of one row (b, d), one Hillis–Steele level per dispatch, for the
// step-by-step view of the Mamba stage. Unlike the fused kernel, the scan array (T, N) of pairs
// (ΔA_t, ΔB_t u_t) lives in a storage buffer here, so it can be read back after every level.
// With s = 0 the dispatch discretizes: pair[t, n] = (exp(δ'_t A_n), δ'_t u_t B_t[n]) (pairIn unused).
// With s ≥ 1 it applies one level: pair'[t] = pair[t−s] ∘ pair[t] for t ≥ s, else pair[t],
// with (a₁,b₁)∘(a₂,b₂) = (a₁a₂, a₂b₁ + b₂). One invocation per (t, n); ping-pong between buffers.

// Bindings 0..3 (p, seq, bc, chan), COMPLEX, loadPair() and the shared reads: selectiveScanParams.wgsl.
@group(0) @binding(4) var<storage, read> pairIn: array<vec4<f32>>;  // (T, N): (a.re, a.im, b.re, b.im)
@group(0) @binding(5) var<storage, read_write> pairOut: array<vec4<f32>>;  // (T, N)
@group(0) @binding(6) var<uniform> w: Level;

/** Which chunk: row b·D + d, its first step t0 and length T; s = 0 discretizes, s ≥ 1 is the level offset. */
struct Level {
  row: u32,
  t0: u32,
  T: u32,
  s: u32,
}

override WG: u32 = 64u;

fn discretize(i: u32) {
  let tl = i / p.N;
  let n = i % p.N;
  let t = w.t0 + tl;
  let b = w.row / p.D;
  let d = w.row % p.D;
  let dl = deltaAt(w.row, t, d);
  let bv = loadPair(bStart(b, d) + n * p.bState + t * p.bTime);
  let a = cexpAcc(dl * aAt(d, n));
  pairOut[i] = vec4<f32>(a, (dl * uAt(w.row, t)) * bv);
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let i = invocation(g, li, WG);
  if (i >= w.T * p.N) {
    return;
  }
  if (w.s == 0u) {
    discretize(i);
    return;
  }
  let tl = i / p.N;
  let cur = pairIn[i];
  if (tl < w.s) {
    pairOut[i] = cur;
    return;
  }
  let prev = pairIn[i - w.s * p.N];
  pairOut[i] = vec4<f32>(cmul(prev.xy, cur.xy), cmul(cur.xy, prev.zw) + cur.zw);
}
