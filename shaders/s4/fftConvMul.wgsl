// FFT convolution, pointwise product in frequency: spec[b·H + h] *= spec[B·H + h], in place.
// One invocation per element of the u rows; reads two values, writes one, all from storage.
// Trace (TRACE on), per workgroup of a elements starting at t0: TRACE_READ spec (2a values, 16a bytes),
// TRACE_COMPUTE (count a products, phase PHASE_PRODUCT), TRACE_WRITE spec (a values, 8a bytes).
// Needs common/math.wgsl, common/trace.wgsl, common/grid.wgsl, s4/fftConvParams.wgsl (the entry).

@group(0) @binding(2) var<storage, read_write> spec: array<vec2<f32>>; // (B·H + H, n) complex

fn elements() -> u32 {
  return prm.rows * prm.n;
}

fn traceGroup(wg: u32, t0: u32, a: u32) {
  traceEvent(TRACE_READ, wg, T_SPEC, t0, 2u * a, 16u * a, 0u);
  traceEvent(TRACE_COMPUTE, wg, T_SPEC, t0, a, 0u, PHASE_PRODUCT);
  traceEvent(TRACE_WRITE, wg, T_SPEC, t0, a, 8u * a, 0u);
}

fn element(t: u32) {
  let row = t / prm.n;
  let i = t % prm.n;
  let h = row % prm.H;
  spec[t] = cmul(spec[t], spec[(prm.rowsU + h) * prm.n + i]);
}
