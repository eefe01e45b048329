// FlashDecoding, kernel 2 of 2: merge the splits' partials of one query row by log-sum-exp.
// M = max_s m_s, L = Σ_s l_s·exp(m_s − M), O = Σ_s O_s·exp(m_s − M) / L, lse = M + log L.
// One workgroup per (row, head, batch), CWG invocations, parallel over the splits as well as the columns:
// M and L are tree reductions over the splits (rowReduce.wgsl, WG = CWG); for O, invocation t takes column
// c0 + t % CW of every column block and the splits s ≡ t / CW (mod GS) — GS = CWG / CW groups of splits, CW =
// min(D, CWG) columns — and the groups' sums meet in workgroup memory. The partials are read once, O and
// lse written once. A row with no visible key gives O = 0, lse = +inf.
// p.count = b·h·sq rows on a folded grid (common/grid.wgsl). The prelude sets WG (= CWG here) and D.

@group(0) @binding(1) var<storage, read> ml: array<f32>;  // (b, h, sq, splits, 2)
@group(0) @binding(2) var<storage, read> oPart: array<f32>;  // (b, h, sq, splits, d)
@group(0) @binding(3) var<storage, read_write> o: array<f32>;  // (b, sq, h, d)
@group(0) @binding(4) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;

const CW: u32 = min(D, WG);
const GS: u32 = WG / CW;

var<workgroup> sums: array<f32, WG>;  // (GS, CW) each split group's sum of one column block

/** exp(m_s − M) where split s saw a key (l_s > 0), else 0. */
fn weight(base: u32, s: u32, M: f32) -> f32 {
  return select(0.0, exp(ml[(base + s) * 2u] - M), ml[(base + s) * 2u + 1u] > 0.0);
}

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let row = linear(wg);  // (b·h + hh)·sq + i
  if (row >= p.count) { return; }  // the whole workgroup, before any barrier
  let base = row * p.splits;
  var mLoc = NEG;
  for (var s = tid; s < p.splits; s += WG) {
    mLoc = max(mLoc, ml[(base + s) * 2u]);
  }
  let M = reduceMax(tid, mLoc);
  let empty = M <= NEG_HALF;
  var lLoc = 0.0;
  for (var s = tid; s < p.splits; s += WG) {
    lLoc += ml[(base + s) * 2u + 1u] * weight(base, s, M);
  }
  let L = reduceSum(tid, lLoc);
  let at = qRowOf(row);
  let oo = qAt(at.b, at.i, at.hh);
  let g = tid / CW;
  let c0 = tid % CW;
  for (var cb = 0u; cb < D; cb += CW) {
    let c = cb + c0;
    var x = 0.0;
    if (c < D) {
      for (var s = g; s < p.splits; s += GS) {
        x += oPart[(base + s) * D + c] * weight(base, s, M);
      }
    }
    sums[tid] = x;
    workgroupBarrier();
    if (g == 0u && c < D) {
      var t = 0.0;
      for (var k = 0u; k < GS; k++) {
        t += sums[k * CW + c0];
      }
      o[oo + c] = select(t / L, 0.0, empty || L == 0.0);
    }
    workgroupBarrier();
  }
  if (tid == 0u) {
    lse[row] = select(M + log(L), posInf(), empty || L == 0.0);
    traceEvent(TRACE_READ, row, T_PARTIALS, base, p.splits * (D + 2u), p.splits * (D + 2u) * 4u, 0u);
    traceEvent(TRACE_WRITE, row, T_O, oo, D, D * 4u, 0u);
    traceEvent(TRACE_WRITE, row, T_LSE, row, 1u, 4u, 0u);
  }
}
