// FFT convolution, unpacking: y[b, h, l] = Re(spec[b·H + h, l]) / n + D[h] u[b, h, l] for l < L (the
// first L outputs of the inverse transform are the causal convolution). One invocation per output.
// Trace (TRACE on), per workgroup of a outputs starting at t0: TRACE_READ spec (a real parts, 4a bytes),
// TRACE_READ u and TRACE_READ D (a values each when D is given), TRACE_WRITE y (a values).
// Needs common/trace.wgsl, common/grid.wgsl, s4/fftConvParams.wgsl (the entry).

@group(0) @binding(2) var<storage, read> spec: array<vec2<f32>>; // (B·H + H, n) complex
@group(0) @binding(3) var<storage, read> u: array<f32>; // (B, H, L)
@group(0) @binding(4) var<storage, read> D: array<f32>; // (H,)
@group(0) @binding(5) var<storage, read_write> y: array<f32>; // (B, H, L)

fn elements() -> u32 {
  return prm.rows * prm.L;
}

fn traceGroup(wg: u32, t0: u32, a: u32) {
  traceEvent(TRACE_READ, wg, T_SPEC, t0, a, 4u * a, 0u);
  traceEvent(TRACE_READ, wg, T_U, t0, a * prm.hasD, 4u * a * prm.hasD, 0u);
  traceEvent(TRACE_READ, wg, T_D, t0, a * prm.hasD, 4u * a * prm.hasD, 0u);
  traceEvent(TRACE_WRITE, wg, T_Y, t0, a, 4u * a, 0u);
}

fn element(t: u32) {
  let row = t / prm.L;
  let l = t % prm.L;
  var v = spec[row * prm.n + l].x / f32(prm.n);
  if (prm.hasD == 1u) {
    v += D[row % prm.H] * u[t];
  }
  y[t] = v;
}
