// SSD as a recurrence, for comparison with the chunked and quadratic forms:
//   h_t = exp(A_t) h_{t−1} + X_t B_tᵀ   (h is (P, N)),   y_t = h_t C_t.
// One workgroup per (p, head, batch): its WG invocations own the row h[p, :] (NPT entries each, in
// registers) and step through all T positions in order; y_t[p] is a tree reduction over N in workgroup
// memory. Every input is read once per step and Y written once: T sequential steps, no chunking.
// Prelude constants: WG (a power of two), NPT = ceil(N / WG). Entry: ssd/perWorkgroup.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> A: array<f32>;  // (batch, T, H)
@group(0) @binding(3) var<storage, read> B: array<f32>;  // (batch, T, G, N)
@group(0) @binding(4) var<storage, read> C: array<f32>;  // (batch, T, G, N)
@group(0) @binding(5) var<storage, read> init: array<f32>;  // (batch, H, P, N), or a placeholder
@group(0) @binding(6) var<storage, read_write> Y: array<f32>;  // (batch, T, H, P)
@group(0) @binding(7) var<storage, read_write> finalState: array<f32>;  // (batch, H, P, N)

var<workgroup> red: array<f32, WG>;  // (WG,) partial sums of y_t[p]

fn phase(lin: u32, _wg: u32, lid: u32) {
  let at = unflatten(lin, prm.P, prm.H);  // (p, head, batch), p fastest
  let pi = at.x;
  let hh = at.y;
  let bi = at.z;
  let gi = groupOf(hh);
  let row = ((bi * prm.H + hh) * prm.P + pi) * prm.N;
  var h: array<f32, NPT>;
  for (var k = 0u; k < NPT; k++) {
    let n = lid + k * WG;
    h[k] = 0.0;
    if (prm.hasInit != 0u && n < prm.N) {
      h[k] = init[row + n];
    }
  }
  for (var t = 0u; t < prm.T; t++) {
    let a = exp(A[aIdx(bi, t, hh)]);
    let xv = X[xIdx(bi, t, hh, pi)];
    var part = 0.0;
    for (var k = 0u; k < NPT; k++) {
      let n = lid + k * WG;
      if (n < prm.N) {
        h[k] = a * h[k] + xv * B[bcIdx(bi, t, gi, n)];
        part += h[k] * C[bcIdx(bi, t, gi, n)];
      }
    }
    red[lid] = part;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
      if (lid < s) {
        red[lid] += red[lid + s];
      }
      workgroupBarrier();
    }
    if (lid == 0u) {
      Y[xIdx(bi, t, hh, pi)] = red[0];
    }
    workgroupBarrier();
  }
  for (var k = 0u; k < NPT; k++) {
    let n = lid + k * WG;
    if (n < prm.N) {
      finalState[row + n] = h[k];
    }
  }
}
