// What the four kernels of the FFT convolution (fftConvPack, fftConv, fftConvMul, fftConvUnpack) share: one
// parameter struct (each kernel reads the fields it needs), its uniform, the trace binding, the workgroup
// size, and the trace workgroup id, which runs on over all the convolution's dispatches (wgBase) so every
// workgroup of the program has its own. Declarations only; needs common/trace.wgsl and s4/invocation.wgsl.
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

fn traceId(g: Workgroup) -> u32 {
  return prm.wgBase + workgroupIndex(g);
}
