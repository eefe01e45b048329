// FFT convolution, packing: rows (B·H) of u then rows (H) of K, each zero-padded from L to n, as complex
// rows of spec (rows = B·H + H, n). One invocation per output element; u and K read once, spec written once.
// Trace (TRACE on), per workgroup of elements [t0, t1) of spec (straight from storage, no workgroup
// memory): TRACE_READ u and TRACE_READ K (the elements of the range with l < L in a u row, resp. a K row),
// TRACE_WRITE spec (t1 − t0 complex values, 8 bytes each).
// Needs common/trace.wgsl, common/grid.wgsl, s4/fftConvParams.wgsl (the entry).

@group(0) @binding(2) var<storage, read> u: array<f32>; // (B, H, L)
@group(0) @binding(3) var<storage, read> K: array<f32>; // (H, L)
@group(0) @binding(4) var<storage, read_write> spec: array<vec2<f32>>; // (B·H + H, n) complex

/** Elements t' < t of spec that hold data (l < L) in the first `rows` rows. */
fn dataBefore(t: u32, rows: u32) -> u32 {
  let row = t / prm.n;
  let part = select(0u, min(t % prm.n, prm.L), row < rows);
  return min(row, rows) * prm.L + part;
}

fn elements() -> u32 {
  return prm.rows * prm.n;
}

fn traceGroup(wg: u32, t0: u32, a: u32) {
  let t1 = t0 + a;
  let nu = dataBefore(t1, prm.rowsU) - dataBefore(t0, prm.rowsU);
  let nk = dataBefore(t1, prm.rows) - dataBefore(t0, prm.rows) - nu;
  traceEvent(TRACE_READ, wg, T_U, t0, nu, 4u * nu, 0u);
  traceEvent(TRACE_READ, wg, T_K, t0, nk, 4u * nk, 0u);
  traceEvent(TRACE_WRITE, wg, T_SPEC, t0, t1 - t0, 8u * (t1 - t0), 0u);
}

fn element(t: u32) {
  let row = t / prm.n;
  let l = t % prm.n;
  var v = 0.0;
  if (l < prm.L) {
    if (row < prm.rowsU) {
      v = u[row * prm.L + l];
    } else {
      v = K[(row - prm.rowsU) * prm.L + l];
    }
  }
  spec[t] = vec2<f32>(v, 0.0);
}
