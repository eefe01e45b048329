// FFT convolution, unpacking: y[b, h, l] = Re(spec[b·H + h, l]) / n + D[h] u[b, h, l] for l < L (the
// first L outputs of the inverse transform are the causal convolution). One invocation per output.
// Trace (TRACE on), per workgroup of a outputs starting at t0: TRACE_READ spec (a real parts, 4a bytes),
// TRACE_READ u and TRACE_READ D (a values each when D is given), TRACE_WRITE y (a values). Workgroup ids
// start at wgBase. Tensor ids: FFT_CONV_TENSORS in engine/programs/fftConv.ts.

struct Params {
  L: u32,
  n: u32,
  rowsU: u32, // B * H
  H: u32,
  rowStride: u32,
  hasD: u32,
  wgBase: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> spec: array<vec2<f32>>; // (B·H + H, n) complex
@group(0) @binding(2) var<storage, read> u: array<f32>; // (B, H, L)
@group(0) @binding(3) var<storage, read> D: array<f32>; // (H,)
@group(0) @binding(4) var<storage, read_write> y: array<f32>; // (B, H, L)
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let t = gid.y * prm.rowStride + gid.x;
  if (t >= prm.rowsU * prm.L) {
    return;
  }
  if (TRACE && lid == 0u) {
    let wg = prm.wgBase + wid.x + wid.y * nwg.x;
    let a = min(WG, prm.rowsU * prm.L - t);
    traceEvent(TRACE_READ, wg, 2u, t, a, 4u * a, 0u);
    traceEvent(TRACE_READ, wg, 0u, t, a * prm.hasD, 4u * a * prm.hasD, 0u);
    traceEvent(TRACE_READ, wg, 4u, t, a * prm.hasD, 4u * a * prm.hasD, 0u);
    traceEvent(TRACE_WRITE, wg, 5u, t, a, 4u * a, 0u);
  }
  let row = t / prm.L;
  let l = t % prm.L;
  var v = spec[row * prm.n + l].x / f32(prm.n);
  if (prm.hasD == 1u) {
    v += D[row % prm.H] * u[t];
  }
  y[t] = v;
}
