// FlashDecoding, kernel 2 of 2: merge the splits' partials of one query row by log-sum-exp.
// M = max_s m_s, L = Σ_s l_s·exp(m_s − M), O = Σ_s O_s·exp(m_s − M) / L, lse = M + log L.
// One workgroup per (row, head, batch); each invocation owns output columns c, c + WG, ...; the
// partials are read once, O and lse written once. A row with no visible key gives O = 0, lse = +inf.
// p.count = b·h·sq rows on a folded grid (common/grid.wgsl).

@group(0) @binding(1) var<storage, read> ml: array<f32>;  // (b, h, sq, splits, 2)
@group(0) @binding(2) var<storage, read> oPart: array<f32>;  // (b, h, sq, splits, d)
@group(0) @binding(3) var<storage, read_write> o: array<f32>;  // (b, sq, h, d)
@group(0) @binding(4) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let row = linear(wg);  // (b·h + hh)·sq + i
  if (row >= p.count) { return; }
  let base = row * p.splits;
  var M = NEG;
  for (var s = 0u; s < p.splits; s++) {
    M = max(M, ml[(base + s) * 2u]);
  }
  let empty = M <= NEG_HALF;
  var L = 0.0;
  for (var s = 0u; s < p.splits; s++) {
    let l = ml[(base + s) * 2u + 1u];
    if (l > 0.0) {
      L += l * exp(ml[(base + s) * 2u] - M);
    }
  }
  let at = qRowOf(row);
  let oo = qAt(at.b, at.i, at.hh);
  for (var c = tid; c < D; c += WG) {
    var x = 0.0;
    for (var s = 0u; s < p.splits; s++) {
      if (ml[(base + s) * 2u + 1u] > 0.0) {
        x += oPart[(base + s) * D + c] * exp(ml[(base + s) * 2u] - M);
      }
    }
    o[oo + c] = select(x / L, 0.0, empty || L == 0.0);
  }
  if (tid == 0u) {
    lse[row] = select(M + log(L), posInf(), empty || L == 0.0);
    traceEvent(TRACE_READ, row, T_PARTIALS, base, p.splits * (D + 2u), p.splits * (D + 2u) * 4u, 0u);
    traceEvent(TRACE_WRITE, row, T_O, oo, D, D * 4u, 0u);
    traceEvent(TRACE_WRITE, row, T_LSE, row, 1u, 4u, 0u);
  }
}
