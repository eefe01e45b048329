// Fast SSD, second dispatch: state passing in place. One invocation per (batch, head, state element e),
//   v_0 = initial state (or 0);  states[c] ← v_c (the state entering chunk c);  v_{c+1} = exp(csum_c)·v_c + S_c,
// and v_nC, the final state, into `last`. Each chunk state is read once and overwritten once, so the pass
// moves 2·nC·batch·H·P·N·4 bytes and allocates nothing of its own. The loads of U = 8 chunks go out before
// their 8 dependent steps, so each invocation waits on memory once per 8 chunks, not once per chunk.
// Entry: common/perElement.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> csum: array<f32>;  // (nC, batch, H) Σ_{k in chunk} A_k
@group(0) @binding(2) var<storage, read> init: array<f32>;  // (batch, H, P, N), or a placeholder
@group(0) @binding(3) var<storage, read_write> states: array<f32>;  // (nC, batch, H, P, N)
@group(0) @binding(4) var<storage, read_write> last: array<f32>;  // (batch, H, P, N)

override WG: u32 = 256u;
const U: u32 = 8u;  // chunks whose loads go out together

fn elements() -> u32 {
  return prm.batch * prm.H * prm.P * prm.N;
}

fn element(e: u32) {
  let bh = e / (prm.P * prm.N);  // b·H + h
  let stride = prm.batch * prm.H * prm.P * prm.N;  // one chunk slot
  let dStride = prm.batch * prm.H;
  var v = 0.0;
  if (prm.hasInit != 0u) {
    v = init[e];
  }
  var c = 0u;
  for (; c + U <= prm.nC; c += U) {
    var s: array<f32, U>;
    var d: array<f32, U>;
    for (var j = 0u; j < U; j++) {
      s[j] = states[(c + j) * stride + e];
      d[j] = exp(csum[(c + j) * dStride + bh]);
    }
    for (var j = 0u; j < U; j++) {
      states[(c + j) * stride + e] = v;
      v = fma(d[j], v, s[j]);
    }
  }
  for (; c < prm.nC; c++) {
    let s = states[c * stride + e];
    states[c * stride + e] = v;
    v = fma(exp(csum[c * dStride + bh]), v, s);
  }
  last[e] = v;
}
