// The input half of a recurrent layer for every time step at once: P[t, n] = x_{t,n} W_ihᵀ + b_ih + b_hh.
// No time dependence, so it runs fully parallel before the sequential recurrence (as cuDNN does). P has
// `width` columns: hidden for the Elman RNN; the same kernel serves any cell whose gates are one matmul of
// the input (4·hidden for an LSTM, whose W_ih stacks the four gates' rows).
// Tiling: one workgroup per (row (t, n), tile of WG output columns), linear id = tile + row·tiles, folded
// into (x, y, z) by engine/gpu/grid.ts past 65,535. The input row is staged through workgroup memory XB
// values at a time and shared by the WG columns; each invocation reads its column of W_ihᵀ (stored
// transposed, so the WG columns read neighbouring addresses) and writes one P value.
// x is read in its own layout (seq-first or batch-first).
// Trace (TRACE on), per workgroup (row t·b + n, tile of m = min(WG, width − j0) live columns; ids wgBase +
// linear id), aux = layer: TRACE_LOAD x per block of the input row (nb values into xs), TRACE_READ WihT
// (m·in values), TRACE_READ bih and bhh (m each, when present), TRACE_WRITE P (m values). For layers
// above 0, "x" is the previous layer's output. Tensor ids: the calling program's trace table, which must
// name x, WihT, bih, bhh and P (ELMAN_TRACE in engine/programs/rnn/elmanRnn.ts).

struct Params {
  T: u32,
  b: u32,
  inSize: u32,
  width: u32,
  batchFirst: u32,
  hasBih: u32,
  hasBhh: u32,
  layer: u32,
  wgBase: u32,
  count: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (T, b, in) or (b, T, in)
@group(0) @binding(2) var<storage, read> WihT: array<f32>;  // (in, width) W_ihᵀ
@group(0) @binding(3) var<storage, read> bih: array<f32>;  // (width,)
@group(0) @binding(4) var<storage, read> bhh: array<f32>;  // (width,)
@group(0) @binding(5) var<storage, read_write> P: array<f32>;  // (T, b, width)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;
const XB: u32 = 1024u;

var<workgroup> xs: array<f32, XB>;  // a block of the input row

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  // A per-workgroup id: the whole workgroup returns together, before any barrier.
  let lin = linear(g);
  if (lin >= p.count) {
    return;
  }
  let tiles = (p.width + WG - 1u) / WG;
  let rowId = lin / tiles;  // t·b + n
  let j0 = (lin % tiles) * WG;
  let t = rowId / p.b;
  let n = rowId % p.b;
  var src = rowId * p.inSize;
  if (p.batchFirst != 0u) {
    src = (n * p.T + t) * p.inSize;
  }
  let wg = p.wgBase + lin;
  let m = min(WG, p.width - j0);
  let j = j0 + lid;
  let live = j < p.width;
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
      traceEvent(TRACE_LOAD, wg, T_X, src + i0, nb, 4u * nb, p.layer);
    }
    if (live) {
      for (var i = 0u; i < nb; i++) {
        acc += WihT[(i0 + i) * p.width + j] * xs[i];
      }
    }
    workgroupBarrier();
  }
  if (live) {
    P[rowId * p.width + j] = acc;
  }
  if (TRACE && lid == 0u) {
    traceEvent(TRACE_READ, wg, T_WIH_T, j0, m * p.inSize, 4u * m * p.inSize, p.layer);
    traceEvent(TRACE_READ, wg, T_BIH, j0, m * p.hasBih, 4u * m * p.hasBih, p.layer);
    traceEvent(TRACE_READ, wg, T_BHH, j0, m * p.hasBhh, 4u * m * p.hasBhh, p.layer);
    traceEvent(TRACE_WRITE, wg, T_P, rowId * p.width + j0, m, 4u * m, p.layer);
  }
}
