// The carry between the chunks of the split selective scan (selectiveScanSplit.wgsl): one invocation per
// (batch·channel, state) walks the S chunks in order, h_start(0) = 0,
//   h_start(c + 1) = exp(A·Σδ'_c)·h_start(c) + h_end(c)
// with h_end(c) the chunk's end state from h = 0 (the chunk-state pass). It overwrites each h_end with its
// h_start in place (the output pass reads them there) and writes the last state, h_start(S).
// Tiny (S·BD·N FMAs), but its loads are in series with nothing: eight chunks' loads are issued before their
// eight dependent steps, so a chain of S chunks waits for S/8 memory latencies, not S.
// Bindings 0..3: selectiveScanParams.wgsl (only p and chan are used). The prelude defines W and SV.

@group(0) @binding(6) var<storage, read_write> chunks: array<f32>;  // selectiveScanSplit.wgsl's, as floats
@group(0) @binding(7) var<storage, read_write> lastState: array<f32>;  // (B, D, N)

/** Lanes per channel of the chunk passes: states are stored NL·W a (chunk, channel). */
override NL: u32 = 4u;
/** Steps per chunk. */
override Q: u32 = 128u;
override WG: u32 = 64u;
const LOG2E: f32 = 1.4426950408889634;
const AHEAD: u32 = 8u;

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let i = invocation(g, li, WG);
  let BD = p.batch * p.D;
  if (i >= BD * p.N) {
    return;
  }
  let bd = i / p.N;
  let n = i % p.N;
  let A2 = chan[2u * ((bd % p.D) * p.N + n)] * LOG2E;
  let S = (p.L + Q - 1u) / Q;
  let NP = NL * W;
  let sums = S * BD * NP;  // Σδ'_c at sums + (c·BD + bd)·W
  var h = 0.0;
  for (var c0 = 0u; c0 < S; c0 += AHEAD) {
    var e: array<f32, AHEAD>;
    var s: array<f32, AHEAD>;
    for (var k = 0u; k < AHEAD; k++) {
      let c = min(c0 + k, S - 1u);
      e[k] = chunks[(c * BD + bd) * NP + n];
      s[k] = chunks[sums + (c * BD + bd) * W];
    }
    for (var k = 0u; k < AHEAD; k++) {
      let c = c0 + k;
      if (c < S) {
        chunks[(c * BD + bd) * NP + n] = h;
        h = exp2(A2 * s[k]) * h + e[k];
      }
    }
  }
  lastState[bd * p.N + n] = h;
}
