// segsum over the last axis: x (R, T) -> out (R, T, T),
//   out[r, i, j] = Σ_{k=j+1..i} x[r, k] for j ≤ i (0 on the diagonal), −inf for j > i.
// One invocation per row (r, i) (entry: ssd/perElement.wgsl, element e = r·T + i): it walks j from the
// diagonal down, extending a running masked sum (the stable form: never a difference of two cumulative
// sums). x is read straight from storage (i values per row), each output is written once: R·T² values.

struct SegsumParams {
  R: u32,
  T: u32,
  count: u32,  // R·T rows
}

@group(0) @binding(0) var<uniform> prm: SegsumParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (R, T)
@group(0) @binding(2) var<storage, read_write> out: array<u32>;  // (R, T, T) f32 bits (−inf has no WGSL literal)

const NEG_INF_BITS: u32 = 0xff800000u;

fn element(e: u32) {
  let r = e / prm.T;
  let i = e % prm.T;
  let row = e * prm.T;
  for (var j = i + 1u; j < prm.T; j++) {
    out[row + j] = NEG_INF_BITS;
  }
  var s = 0.0;
  out[row + i] = bitcast<u32>(0.0);
  for (var j = i; j > 0u; j--) {
    s += x[r * prm.T + j];
    out[row + j - 1u] = bitcast<u32>(s);
  }
}
