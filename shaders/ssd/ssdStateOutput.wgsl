// SSD phase 4, state to output: what the state entering chunk c contributes to each of its outputs,
//   Y[t, p] = Ydiag[t, p] + exp(Σ_{k=chunk start..t} A_k) Σ_n C[t, n] passed[c][p, n].
// Tiling: one workgroup per (batch·head, PT-column tile of p, chunk and TT-row tile of t), heads
// fastest. Per NB-slice of N, the C tile (TT×NB) and the passed-state tile (PT×NB) are loaded into
// workgroup memory; the TT×PT product accumulates in registers. The per-row decay exp(Acum[t]) comes
// from phase 1's running sums. Ydiag is read once and Y written once (the diagonal-block output plus
// this contribution); the passed state is read once per (t-tile, p-tile).
// Prelude constants: TT, PT, NB, WG (WG a multiple of PT; TT a multiple of WG / PT).
// Entry: ssd/perWorkgroup.wgsl; the tile, its lanes and the C slice: ssd/rowTilePhase.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> Acum: array<f32>;  // (batch, T, H) Σ_{k=chunk start..t} A_k
@group(0) @binding(2) var<storage, read> C: array<f32>;  // (batch, T, G, N)
@group(0) @binding(3) var<storage, read> passed: array<f32>;  // (nC + 1, batch, H, P, N)
@group(0) @binding(4) var<storage, read> Ydiag: array<f32>;  // (batch, T, H, P)
@group(0) @binding(5) var<storage, read_write> Y: array<f32>;  // (batch, T, H, P)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

var<workgroup> Cs: array<f32, TT * NB>;  // (TT, NB)
var<workgroup> Ss: array<f32, PT * (NB + 1u)>;  // (PT, NB + 1) passed[c] slice, padded: read down a column
var<workgroup> dsh: array<f32, TT>;  // (TT,) exp(Σ_{k=start..t} A_k)

fn tilePhase(at: RowTile, wg: u32, lid: u32, col: u32, rg: u32) {
  let sBase = stateIdx(at.c, at.bi, at.hh);
  if (lid < at.tRows) {
    dsh[lid] = exp(Acum[aIdx(at.bi, at.t0 + lid, at.hh)]);
  }
  if (lid == 0u) {
    traceEvent(TRACE_READ, wg, T_ACUM, aIdx(at.bi, at.t0, at.hh), at.tRows, at.tRows * 4u, at.c);
  }
  var acc: array<f32, RPT>;
  for (var n0 = 0u; n0 < prm.N; n0 += NB) {
    let nw = min(NB, prm.N - n0);
    workgroupBarrier();
    for (var e = lid; e < TT * NB; e += WG) {
      Cs[e] = cSlice(at, e, n0, nw);
    }
    for (var e = lid; e < PT * NB; e += WG) {
      let r = e / NB;
      let k = e % NB;
      var v = 0.0;
      if (r < at.pw && k < nw) {
        v = passed[sBase + (at.p0 + r) * prm.N + n0 + k];
      }
      Ss[r * (NB + 1u) + k] = v;
    }
    if (lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_C, bcIdx(at.bi, at.t0, at.gi, n0), at.tRows * nw, at.tRows * nw * 4u, at.c);
      traceEvent(TRACE_LOAD, wg, T_PASSED, sBase + at.p0 * prm.N + n0, at.pw * nw, at.pw * nw * 4u, at.c);
    }
    workgroupBarrier();
    for (var k = 0u; k < RPT; k++) {
      let r = rg + k * RG;
      var a = 0.0;
      for (var kk = 0u; kk < nw; kk++) {
        a += Cs[r * NB + kk] * Ss[col * (NB + 1u) + kk];
      }
      acc[k] += a;
    }
  }
  for (var k = 0u; k < RPT; k++) {
    let r = rg + k * RG;
    if (r < at.tRows && col < at.pw) {
      let o = xIdx(at.bi, at.t0 + r, at.hh, at.p0 + col);
      Y[o] = Ydiag[o] + dsh[r] * acc[k];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_READ, wg, T_YDIAG, xIdx(at.bi, at.t0, at.hh, at.p0), at.tRows * at.pw, at.tRows * at.pw * 4u, at.c);
    traceEvent(TRACE_WRITE, wg, T_Y, xIdx(at.bi, at.t0, at.hh, at.p0), at.tRows * at.pw, at.tRows * at.pw * 4u, at.c);
    traceEvent(TRACE_CHUNK_PHASE, wg, NO_TENSOR, at.c, at.tRows, 0u, PHASE_OUTPUT_CONTRIBUTION);
  }
}
