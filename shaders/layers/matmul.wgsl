// Tiled matrix multiply with optional bias, torch's nn.Linear: y (rows, outF) = x (rows, inF) Wᵀ + b, with
// W row-major (outF, inF). x may be a column slice of a wider buffer (row stride xStride, first column
// xOff) and y may be written into one (yStride, yOff), so a split needs no copy.
// Tiling: one workgroup of 16×16 invocations per TM×TN = 32×32 tile of y; each invocation keeps a 2×2
// block of y in registers. The K axis is walked in TK = 16 steps: the workgroup loads the x tile (TM, TK)
// and the W tile (TN, TK) into workgroup memory (4 KiB), two values per invocation, reads of 16
// consecutive floats per row, then each invocation does 2·2·TK multiply-adds from there. Each x value is
// read from storage ceil(outF / TN) times, each W value ceil(rows / TM) times (instead of outF and rows
// times untiled); y is written once. Edges are padded with zeros in workgroup memory.
// Trace (TRACE on), per workgroup lin, from invocation 0, in order: per K tile kt, TRACE_LOAD x (offset =
// first element of the tile in x, count = values inside the matrix, bytes = 4·count, aux = kt) and
// TRACE_LOAD W (likewise); then TRACE_READ bias (the tile's columns, when there is a bias) and TRACE_WRITE
// y (offset = first element, count = values written). Tensor ids (T_*) come from MATMUL_TRACE in
// engine/programs/layers/matmul.ts. The tile grid may be folded (engine/gpu/grid.ts): a workgroup past
// count returns at once, the whole workgroup together, before any barrier.

struct Params {
  rows: u32,
  inF: u32,
  outF: u32,
  xOff: u32,
  xStride: u32,
  yOff: u32,
  yStride: u32,
  hasBias: u32,
  tilesN: u32,
  count: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (rows, xStride), columns xOff .. xOff+inF-1
@group(0) @binding(2) var<storage, read> W: array<f32>;  // (outF, inF)
@group(0) @binding(3) var<storage, read> bias: array<f32>;  // (outF,), or a placeholder
@group(0) @binding(4) var<storage, read_write> y: array<f32>;  // (rows, yStride), columns yOff ..
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;

const TM: u32 = 32u;
const TN: u32 = 32u;
const TK: u32 = 16u;
const SIDE: u32 = 16u;

var<workgroup> sX: array<f32, 512>;  // (TM, TK)
var<workgroup> sW: array<f32, 512>;  // (TN, TK)

@compute @workgroup_size(16, 16)
fn main(g: Workgroups, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let lin = linear(g);
  if (lin >= p.count) {
    return;
  }
  let r0 = (lin / p.tilesN) * TM;
  let c0 = (lin % p.tilesN) * TN;
  var acc = array<f32, 4>(0.0, 0.0, 0.0, 0.0);
  let kTiles = (p.inF + TK - 1u) / TK;
  for (var kt = 0u; kt < kTiles; kt++) {
    let k0 = kt * TK;
    for (var e = li; e < TM * TK; e += SIDE * SIDE) {
      let m = e / TK;
      let k = k0 + e % TK;
      let r = r0 + m;
      let c = c0 + m;
      var a = 0.0;
      var w = 0.0;
      if (r < p.rows && k < p.inF) {
        a = x[p.xOff + r * p.xStride + k];
      }
      if (c < p.outF && k < p.inF) {
        w = W[c * p.inF + k];
      }
      sX[e] = a;
      sW[e] = w;
    }
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let a0 = sX[lid.y * TK + k];
      let a1 = sX[(lid.y + SIDE) * TK + k];
      let b0 = sW[lid.x * TK + k];
      let b1 = sW[(lid.x + SIDE) * TK + k];
      acc[0] += a0 * b0;
      acc[1] += a0 * b1;
      acc[2] += a1 * b0;
      acc[3] += a1 * b1;
    }
    workgroupBarrier();
    if (TRACE && li == 0u) {
      traceTiles(lin, r0, c0, kt);
    }
  }
  for (var i = 0u; i < 2u; i++) {
    for (var j = 0u; j < 2u; j++) {
      let r = r0 + lid.y + i * SIDE;
      let c = c0 + lid.x + j * SIDE;
      if (r < p.rows && c < p.outF) {
        var v = acc[i * 2u + j];
        if (p.hasBias != 0u) {
          v += bias[c];
        }
        y[p.yOff + r * p.yStride + c] = v;
      }
    }
  }
  if (TRACE && li == 0u) {
    let nr = min(TM, p.rows - r0);
    let nc = min(TN, p.outF - c0);
    let nb = nc * p.hasBias;
    traceEvent(TRACE_READ, lin, T_BIAS, c0, nb, 4u * nb, 0u);
    traceEvent(TRACE_WRITE, lin, T_Y, p.yOff + r0 * p.yStride + c0, nr * nc, 4u * nr * nc, 0u);
  }
}

fn traceTiles(lin: u32, r0: u32, c0: u32, kt: u32) {
  let k0 = kt * TK;
  let nk = min(TK, p.inF - k0);
  let nx = min(TM, p.rows - r0) * nk;
  let nw = min(TN, p.outF - c0) * nk;
  traceEvent(TRACE_LOAD, lin, T_X, p.xOff + r0 * p.xStride + k0, nx, 4u * nx, kt);
  traceEvent(TRACE_LOAD, lin, T_W, c0 * p.inF + k0, nw, 4u * nw, kt);
}
