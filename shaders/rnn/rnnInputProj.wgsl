// The input half of an Elman layer for every time step at once: P[t, n] = x_{t,n} W_ihᵀ + b_ih + b_hh.
// No time dependence, so it runs fully parallel before the sequential recurrence (as cuDNN does).
// Tiling: one workgroup per (row (t, n), tile of WG hidden units). The input row is staged through
// workgroup memory XB values at a time and shared by the WG units; each invocation reads its column of
// W_ihᵀ (stored transposed, so the WG units read neighbouring addresses) and writes one P value.
// x is read in its own layout (seq-first or batch-first).
// Trace (TRACE on), per workgroup (row t·b + n, tile of m = min(WG, hidden − j0) live units; ids start at
// wgBase), aux = layer: TRACE_LOAD x per block of the input row (nb values into xs), TRACE_READ WihT
// (m·in values), TRACE_READ bih and bhh (m each, when present), TRACE_WRITE P (m values). For layers
// above 0, "x" is the previous layer's output. Tensor ids: ELMAN_TENSORS in engine/programs/elmanRnn.ts.

struct Params {
  T: u32,
  b: u32,
  inSize: u32,
  hidden: u32,
  batchFirst: u32,
  hasBih: u32,
  hasBhh: u32,
  layer: u32,
  wgBase: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (T, b, in) or (b, T, in)
@group(0) @binding(2) var<storage, read> WihT: array<f32>;  // (in, hidden) W_ihᵀ
@group(0) @binding(3) var<storage, read> bih: array<f32>;  // (hidden,)
@group(0) @binding(4) var<storage, read> bhh: array<f32>;  // (hidden,)
@group(0) @binding(5) var<storage, read_write> P: array<f32>;  // (T, b, hidden)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;
const XB: u32 = 1024u;

var<workgroup> xs: array<f32, XB>;  // a block of the input row

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let rowId = wid.z * nwg.y + wid.y;  // t·b + n
  if (rowId >= p.T * p.b) {
    return;
  }
  let t = rowId / p.b;
  let n = rowId % p.b;
  var src = rowId * p.inSize;
  if (p.batchFirst != 0u) {
    src = (n * p.T + t) * p.inSize;
  }
  let wg = p.wgBase + wid.x + (wid.y + wid.z * nwg.y) * nwg.x;
  let m = min(WG, p.hidden - wid.x * WG);
  let j = wid.x * WG + lid;
  let live = j < p.hidden;
  var acc = 0.0;
  if (live && p.hasBih != 0u) {
    acc += bih[j];
  }
  if (live && p.hasBhh != 0u) {
    acc += bhh[j];
  }
  for (var i0 = 0u; i0 < p.inSize; i0 += XB) {
    let nb = min(XB, p.inSize - i0);
    for (var i = lid; i < nb; i += WG) {
      xs[i] = x[src + i0 + i];
    }
    workgroupBarrier();
    if (TRACE && lid == 0u) {
      traceEvent(TRACE_LOAD, wg, 0u, src + i0, nb, 4u * nb, p.layer);
    }
    if (live) {
      for (var i = 0u; i < nb; i++) {
        acc += WihT[(i0 + i) * p.hidden + j] * xs[i];
      }
    }
    workgroupBarrier();
  }
  if (live) {
    P[rowId * p.hidden + j] = acc;
  }
  if (TRACE && lid == 0u) {
    let j0 = wid.x * WG;
    traceEvent(TRACE_READ, wg, 1u, j0, m * p.inSize, 4u * m * p.inSize, p.layer);
    traceEvent(TRACE_READ, wg, 2u, j0, m * p.hasBih, 4u * m * p.hasBih, p.layer);
    traceEvent(TRACE_READ, wg, 3u, j0, m * p.hasBhh, 4u * m * p.hasBhh, p.layer);
    traceEvent(TRACE_WRITE, wg, 4u, rowId * p.hidden + j0, m, 4u * m, p.layer);
  }
}
