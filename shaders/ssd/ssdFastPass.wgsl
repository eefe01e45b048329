// Fast SSD, second dispatch: state passing in place. One invocation per (batch, head, state element e),
//   v_0 = initial state (or 0);  states[c] ← v_c (the state entering chunk c);  v_{c+1} = exp(csum_c)·v_c + S_c,
// and v_nC, the final state, into `last`. Each chunk state is read once and overwritten once, so the pass
// moves 2·nC·batch·H·P·N·4 bytes and allocates nothing of its own. The loads of four chunks go out before
// the four dependent steps, so each invocation waits on memory once per four chunks, not once per chunk.
// Entry: common/perElement.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> csum: array<f32>;  // (nC, batch, H) Σ_{k in chunk} A_k
@group(0) @binding(2) var<storage, read> init: array<f32>;  // (batch, H, P, N), or a placeholder
@group(0) @binding(3) var<storage, read_write> states: array<f32>;  // (nC, batch, H, P, N)
@group(0) @binding(4) var<storage, read_write> last: array<f32>;  // (batch, H, P, N)

override WG: u32 = 256u;

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
  for (; c + 4u <= prm.nC; c += 4u) {
    let s0 = states[c * stride + e];
    let s1 = states[(c + 1u) * stride + e];
    let s2 = states[(c + 2u) * stride + e];
    let s3 = states[(c + 3u) * stride + e];
    let d0 = exp(csum[c * dStride + bh]);
    let d1 = exp(csum[(c + 1u) * dStride + bh]);
    let d2 = exp(csum[(c + 2u) * dStride + bh]);
    let d3 = exp(csum[(c + 3u) * dStride + bh]);
    states[c * stride + e] = v;
    v = fma(d0, v, s0);
    states[(c + 1u) * stride + e] = v;
    v = fma(d1, v, s1);
    states[(c + 2u) * stride + e] = v;
    v = fma(d2, v, s2);
    states[(c + 3u) * stride + e] = v;
    v = fma(d3, v, s3);
  }
  for (; c < prm.nC; c++) {
    let s = states[c * stride + e];
    states[c * stride + e] = v;
    v = fma(exp(csum[c * dStride + bh]), v, s);
  }
  last[e] = v;
}
