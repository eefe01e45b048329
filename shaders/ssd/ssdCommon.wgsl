// Sizes and index helpers shared by the SSD kernels. No bindings: each kernel declares
// `@group(0) @binding(0) var<uniform> prm: SsdParams;`, which these helpers read.
// Layouts (row-major): X, Y (batch, T, H, P); A and Acum (batch, T, H); B, C (batch, T, G, N), head hh uses group
// hh / (H / G); chunk states (nC, batch, H, P, N); passed states (nC + 1, batch, H, P, N).

struct SsdParams {
  batch: u32,
  T: u32,
  H: u32,
  P: u32,
  N: u32,
  G: u32,
  Q: u32,  // chunk length
  nC: u32,  // ceil(T / Q)
  c0: u32,  // first chunk of this dispatch (the stepper runs one chunk at a time)
  c1: u32,  // one past the last chunk
  hasInit: u32,
  pad: u32,
}

// Tensor ids for trace events (engine/programs/ssdKernels.ts SSD_TENSORS has the same order).
const T_X: u32 = 0u;
const T_A: u32 = 1u;
const T_B: u32 = 2u;
const T_C: u32 = 3u;
const T_YDIAG: u32 = 4u;
const T_STATES: u32 = 5u;
const T_PASSED: u32 = 6u;
const T_Y: u32 = 7u;
const T_INIT: u32 = 8u;
const T_ACUM: u32 = 9u;
const T_NONE: u32 = 0xffffu;

fn xIdx(b: u32, t: u32, h: u32, p: u32) -> u32 {
  return ((b * prm.T + t) * prm.H + h) * prm.P + p;
}

fn aIdx(b: u32, t: u32, h: u32) -> u32 {
  return (b * prm.T + t) * prm.H + h;
}

fn groupOf(h: u32) -> u32 {
  return h / (prm.H / prm.G);
}

fn bcIdx(b: u32, t: u32, g: u32, n: u32) -> u32 {
  return ((b * prm.T + t) * prm.G + g) * prm.N + n;
}

// Offset of the (P, N) state of (b, h) in a states buffer, at chunk slot c.
fn stateIdx(c: u32, b: u32, h: u32) -> u32 {
  return ((c * prm.batch + b) * prm.H + h) * prm.P * prm.N;
}

fn linearWorkgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x + wid.z * nwg.x * nwg.y;
}
