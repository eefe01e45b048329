// FFT convolution, pointwise product in frequency: spec[b·H + h] *= spec[B·H + h], in place.
// One invocation per element of the u rows; reads two values, writes one, all from storage.
// Trace (TRACE on), per workgroup of a elements starting at t0: TRACE_READ spec (2a values, 16a bytes),
// TRACE_COMPUTE (count a products, aux 0), TRACE_WRITE spec (a values, 8a bytes). Workgroup ids start at
// wgBase. Tensor ids: FFT_CONV_TENSORS in engine/programs/fftConv.ts.

struct Params {
  n: u32,
  rowsU: u32, // B * H
  H: u32,
  rowStride: u32,
  wgBase: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read_write> spec: array<vec2<f32>>; // (B·H + H, n) complex
@group(0) @binding(2) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let t = gid.y * prm.rowStride + gid.x;
  if (t >= prm.rowsU * prm.n) {
    return;
  }
  if (TRACE && lid == 0u) {
    let wg = prm.wgBase + wid.x + wid.y * nwg.x;
    let a = min(WG, prm.rowsU * prm.n - t);
    traceEvent(TRACE_READ, wg, 2u, t, 2u * a, 16u * a, 0u);
    traceEvent(TRACE_COMPUTE, wg, 6u, t, a, 0u, 0u);
    traceEvent(TRACE_WRITE, wg, 2u, t, a, 8u * a, 0u);
  }
  let row = t / prm.n;
  let i = t % prm.n;
  let h = row % prm.H;
  spec[t] = cmul(spec[t], spec[(prm.rowsU + h) * prm.n + i]);
}
