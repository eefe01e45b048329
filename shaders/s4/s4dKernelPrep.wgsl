// S4D kernel, step 1 of 2: per mode (h, n), the Vandermonde weight v = C·B̄ and the per-step exponent
// x = log Ā (ZOH: Δ·A exactly, so Ā^l = e^{lΔA} has no log error). Elementwise over a folded grid;
// reads each input once, writes v and x once. Modes: 0 zoh, 1 bilinear, 2 minimal (A carries
// (log_A_real, A_imag) and dt carries log_dt; A = −e^{log_A_real} + i A_imag, B ≡ 1), 3 discretized (A is
// Ā, B is B̄), 4 raw (v = C, x = A: the plain log-Vandermonde product). Parameters and the inputs A, B, Δ:
// s4/diagDisc.wgsl; also needs common/trace.wgsl.
// Trace (TRACE on), per workgroup of a active modes (offset: first mode): TRACE_READ A, B (modes 0, 1, 3),
// C, dt (modes 0..2, one value per mode), then TRACE_WRITE v and x; complex values are 8 bytes, dt 4.
// Tensor ids: S4D_TRACE in engine/programs/s4/s4dKernel.ts.

@group(0) @binding(4) var<storage, read> C: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(5) var<storage, read_write> v: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(6) var<storage, read_write> x: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

fn traceModes(wg: u32) {
  let i0 = wg * WG;
  let a = min(WG, p.count - i0);
  let hasB = select(1u, 0u, p.mode == 2u || p.mode == 4u);
  let hasDt = select(0u, 1u, p.mode <= 2u);
  traceEvent(TRACE_READ, wg, T_A, i0, a, 8u * a, p.mode);
  traceEvent(TRACE_READ, wg, T_B, i0, a * hasB, 8u * a * hasB, p.mode);
  traceEvent(TRACE_READ, wg, T_C, i0, a, 8u * a, p.mode);
  traceEvent(TRACE_READ, wg, T_DT, i0, a * hasDt, 4u * a * hasDt, p.mode);
  traceEvent(TRACE_WRITE, wg, T_V, i0, a, 8u * a, p.mode);
  traceEvent(TRACE_WRITE, wg, T_X, i0, a, 8u * a, p.mode);
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let i = invocation(g, lid, WG);
  if (i >= p.count) {
    return;
  }
  if (TRACE && lid == 0u) {
    traceModes(linear(g));
  }
  if (p.mode == 4u) {
    v[i] = C[i];
    x[i] = A[i];
    return;
  }
  if (p.mode == 3u) {
    v[i] = cmul(C[i], B[i]);
    x[i] = clog(A[i]);
    return;
  }
  var a = A[i];
  var d = dt[i / p.perDt];
  var b = vec2<f32>(1.0, 0.0);
  if (p.mode == 2u) {
    a = vec2<f32>(-exp(a.x), a.y);
    d = exp(d);
  } else {
    b = B[i];
  }
  let zoh = p.mode != 1u;
  let dd = discDiag(a, d, zoh);
  v[i] = cmul(C[i], cmul(dd.f, b));
  if (zoh) {
    x[i] = d * a;
  } else {
    x[i] = clog(dd.Abar);
  }
}
