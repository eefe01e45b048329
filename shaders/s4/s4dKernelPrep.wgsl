// S4D kernel, step 1 of 2: per mode (h, n), the Vandermonde weight v = C·B̄ and the per-step exponent
// x = log Ā (ZOH: Δ·A exactly, so Ā^l = e^{lΔA} has no log error). Elementwise, grid folded into x/y;
// reads each input once, writes v and x once. Modes: 0 zoh, 1 bilinear, 2 minimal (A carries
// (log_A_real, A_imag) and dt carries log_dt; A = −e^{log_A_real} + i A_imag, B ≡ 1), 3 discretized (A is
// Ā, B is B̄), 4 raw (v = C, x = A: the plain log-Vandermonde product). Needs common/math.wgsl,
// s4/diagDisc.wgsl and common/trace.wgsl.
// Trace (TRACE on), per workgroup of a active modes (offset: first mode): TRACE_READ A, B (modes 0, 1, 3),
// C, dt (modes 0..2, one value per mode), then TRACE_WRITE v and x; complex values are 8 bytes, dt 4.
// Tensor ids: S4D_TENSORS in engine/programs/s4dKernel.ts.

struct Params {
  count: u32, // H * N2
  perDt: u32, // N2
  mode: u32,
  rowStride: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(2) var<storage, read> B: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(3) var<storage, read> C: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(4) var<storage, read> dt: array<f32>; // (H,)
@group(0) @binding(5) var<storage, read_write> v: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(6) var<storage, read_write> x: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

fn traceModes(wg: u32) {
  let i0 = wg * WG;
  let a = min(WG, p.count - i0);
  let hasB = select(1u, 0u, p.mode == 2u || p.mode == 4u);
  let hasDt = select(0u, 1u, p.mode <= 2u);
  traceEvent(TRACE_READ, wg, 0u, i0, a, 8u * a, p.mode);
  traceEvent(TRACE_READ, wg, 1u, i0, a * hasB, 8u * a * hasB, p.mode);
  traceEvent(TRACE_READ, wg, 2u, i0, a, 8u * a, p.mode);
  traceEvent(TRACE_READ, wg, 3u, i0, a * hasDt, 4u * a * hasDt, p.mode);
  traceEvent(TRACE_WRITE, wg, 4u, i0, a, 8u * a, p.mode);
  traceEvent(TRACE_WRITE, wg, 5u, i0, a, 8u * a, p.mode);
}

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let i = gid.y * p.rowStride + gid.x;
  if (i >= p.count) {
    return;
  }
  if (TRACE && lid == 0u) {
    traceModes(wid.x + wid.y * nwg.x);
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
