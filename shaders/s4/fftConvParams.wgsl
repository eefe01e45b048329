// What the four kernels of the FFT convolution (fftConvPack, fftConv, fftConvMul, fftConvUnpack) share: one
// parameter struct (each kernel reads the fields it needs), its uniform, the trace binding, the workgroup
// size and the entry point. Each kernel is one invocation per element t < elements() over a grid folded by
// gridForInvocations, straight from storage (no workgroup memory), and defines
//   fn elements() -> u32                    the invocations that do work (butterflies, elements, outputs)
//   fn element(t: u32)                      the work of invocation t
//   fn traceGroup(wg: u32, t0: u32, a: u32) the records of a workgroup of a live invocations from t0 (TRACE on)
// The trace workgroup id runs on over all the convolution's dispatches (wgBase), so every workgroup of the
// program has its own. Needs common/trace.wgsl and common/grid.wgsl.
// Tensor ids: FFT_CONV_TRACE in engine/programs/s4/fftConv.ts.

struct Params {
  L: u32,
  n: u32, // transform length, the next power of two >= 2L
  rowsU: u32, // B * H
  H: u32,
  rows: u32, // rows this dispatch packs, transforms, multiplies or unpacks
  p: u32, // span of the Stockham pass (fftConv.wgsl)
  inverse: u32,
  hasD: u32,
  wgBase: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let t = invocation(g, lid, WG);
  let total = elements();
  if (t >= total) {
    return;
  }
  if (TRACE && lid == 0u) {
    traceGroup(prm.wgBase + linear(g), t, min(WG, total - t));
  }
  element(t);
}
