// SSD phase 2, chunk states: the state each chunk would leave behind if it started from zero,
//   S_c[p, n] = Σ_{s in chunk c} exp(Σ_{k=s+1..end} A_k) X[s, p] B[s, n].
// Tiling: one workgroup per (batch·head, PT×NT tile of the (P, N) state, chunk), heads fastest. It walks
// the chunk's s-tiles from the end backwards; per s-tile the X (TS×PT) and B (TS×NT) tiles are loaded
// into workgroup memory with the tile's A values, which invocation 0 turns into per-row weights by
// extending the running decay sum Σ_{k=s+1..end} A_k (a masked running sum: nothing is subtracted).
// The PT×NT outer-product sum stays in registers; S_c is written once per chunk. Traffic: X read once per N-tile, B once per
// P-tile, A once per workgroup, states written exactly once: nC·batch·H·P·N·4 bytes.
// Prelude constants: TS, PT, NT, WG (WG a multiple of NT; PT a multiple of WG / NT). Entry: ssd/perWorkgroup.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> A: array<f32>;  // (batch, T, H)
@group(0) @binding(3) var<storage, read> B: array<f32>;  // (batch, T, G, N)
@group(0) @binding(4) var<storage, read_write> states: array<f32>;  // (nC, batch, H, P, N)
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;

const RG: u32 = WG / NT;
const RPT: u32 = PT / RG;

var<workgroup> Xs: array<f32, TS * PT>;  // (TS, PT)
var<workgroup> Bs: array<f32, TS * NT>;  // (TS, NT)
var<workgroup> wsh: array<f32, TS>;  // (TS,) A_{s+1}, then exp(decay to the chunk end)

fn phase(lin: u32, wg: u32, lid: u32) {
  // (batch·head fastest, then the PT×NT tile of the state, then the chunk c ≥ c0)
  let nTiles = (prm.N + NT - 1u) / NT;
  let at = unflatten(lin, prm.batch * prm.H, ((prm.P + PT - 1u) / PT) * nTiles);
  let c = prm.c0 + at.z;
  let p0 = (at.y / nTiles) * PT;
  let n0 = (at.y % nTiles) * NT;
  let bi = at.x / prm.H;
  let hh = at.x % prm.H;
  let gi = groupOf(hh);
  let cStart = c * prm.Q;
  let cEnd = min(cStart + prm.Q, prm.T);
  let pw = min(PT, prm.P - p0);
  let nw = min(NT, prm.N - n0);
  let col = lid % NT;
  let rg = lid / NT;
  var acc: array<f32, RPT>;
  var decay = 0.0;  // invocation 0: Σ_{k=s+1..end} A_k
  let nTilesS = (cEnd - cStart + TS - 1u) / TS;
  for (var j = nTilesS; j > 0u; j--) {
    let s0 = cStart + (j - 1u) * TS;
    let sRows = min(TS, cEnd - s0);
    workgroupBarrier();
    for (var e = lid; e < TS * PT; e += WG) {
      let r = e / PT;
      let k = e % PT;
      var v = 0.0;
      if (r < sRows && k < pw) {
        v = X[xIdx(bi, s0 + r, hh, p0 + k)];
      }
      Xs[e] = v;
    }
    for (var e = lid; e < TS * NT; e += WG) {
      let r = e / NT;
      let k = e % NT;
      var v = 0.0;
      if (r < sRows && k < nw) {
        v = B[bcIdx(bi, s0 + r, gi, n0 + k)];
      }
      Bs[e] = v;
    }
    if (lid < TS) {
      var v = 0.0;
      if (s0 + lid + 1u < cEnd) {
        v = A[aIdx(bi, s0 + lid + 1u, hh)];
      }
      wsh[lid] = v;
    }
    if (lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_X, xIdx(bi, s0, hh, p0), sRows * pw, sRows * pw * 4u, c);
      traceEvent(TRACE_LOAD, wg, T_B, bcIdx(bi, s0, gi, n0), sRows * nw, sRows * nw * 4u, c);
      let na = min(sRows, cEnd - s0 - 1u);
      traceEvent(TRACE_LOAD, wg, T_A, aIdx(bi, s0 + 1u, hh), na, na * 4u, c);
    }
    workgroupBarrier();
    if (lid == 0u) {
      // wsh[r] holds A_{s+1} for s = s0 + r; walk down, turning it into exp(Σ_{k=s+1..end} A_k).
      for (var r = sRows; r > 0u; r--) {
        decay += wsh[r - 1u];
        wsh[r - 1u] = exp(decay);
      }
    }
    workgroupBarrier();
    for (var k = 0u; k < RPT; k++) {
      let r = rg + k * RG;
      var a = 0.0;
      for (var kk = 0u; kk < sRows; kk++) {
        a += wsh[kk] * Xs[kk * PT + r] * Bs[kk * NT + col];
      }
      acc[k] += a;
    }
  }
  let base = stateIdx(c, bi, hh);
  for (var k = 0u; k < RPT; k++) {
    let r = rg + k * RG;
    if (r < pw && col < nw) {
      states[base + (p0 + r) * prm.N + n0 + col] = acc[k];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_STORE, wg, T_STATES, base + p0 * prm.N + n0, pw * nw, pw * nw * 4u, c);
    traceEvent(TRACE_CHUNK_PHASE, wg, NO_TENSOR, c, cEnd - cStart, 0u, PHASE_CHUNK_STATE);
  }
}
