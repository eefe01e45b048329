// SSD phase 4, state to output: what the state entering chunk c contributes to each of its outputs,
//   Y[t, p] = Ydiag[t, p] + exp(Σ_{k=chunk start..t} A_k) Σ_n C[t, n] passed[c][p, n].
// Tiling: one workgroup per (batch·head, PT-column tile of p, chunk and TT-row tile of t), heads
// fastest. Per NB-slice of N, the C tile (TT×NB) and the passed-state tile (PT×NB) are loaded into
// workgroup memory; the TT×PT product accumulates in registers. The per-row decay exp(Acum[t]) comes
// from phase 1's running sums. Ydiag is read once and Y written once (the diagonal-block output plus
// this contribution); the passed state is read once per (t-tile, p-tile).
// Prelude constants: TT, PT, NB, WG (WG a multiple of PT; TT a multiple of WG / PT).

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> Acum: array<f32>;  // (batch, T, H) Σ_{k=chunk start..t} A_k
@group(0) @binding(2) var<storage, read> C: array<f32>;  // (batch, T, G, N)
@group(0) @binding(3) var<storage, read> passed: array<f32>;  // (nC + 1, batch, H, P, N)
@group(0) @binding(4) var<storage, read> Ydiag: array<f32>;  // (batch, T, H, P)
@group(0) @binding(5) var<storage, read_write> Y: array<f32>;  // (batch, T, H, P)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

const RG: u32 = WG / PT;
const RPT: u32 = TT / RG;

var<workgroup> Cs: array<f32, TT * NB>;  // (TT, NB)
var<workgroup> Ss: array<f32, PT * (NB + 1u)>;  // (PT, NB + 1) passed[c] slice, padded: read down a column
var<workgroup> dsh: array<f32, TT>;  // (TT,) exp(Σ_{k=start..t} A_k)

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let tpc = (prm.Q + TT - 1u) / TT;
  let c = prm.c0 + wid.z / tpc;
  let i = wid.z % tpc;
  let bi = wid.x / prm.H;
  let hh = wid.x % prm.H;
  let cStart = c * prm.Q;
  let cEnd = min(cStart + prm.Q, prm.T);
  let t0 = cStart + i * TT;
  let p0 = wid.y * PT;
  if (c >= prm.c1 || t0 >= cEnd || bi >= prm.batch || p0 >= prm.P) {
    return;
  }
  let gi = groupOf(hh);
  let wg = linearWorkgroup(wid, nwg);
  let tRows = min(TT, cEnd - t0);
  let pw = min(PT, prm.P - p0);
  let col = lid % PT;
  let rg = lid / PT;
  let sBase = stateIdx(c, bi, hh);
  if (lid < tRows) {
    dsh[lid] = exp(Acum[aIdx(bi, t0 + lid, hh)]);
  }
  if (lid == 0u) {
    traceEvent(TRACE_READ, wg, T_ACUM, aIdx(bi, t0, hh), tRows, tRows * 4u, c);
  }
  var acc: array<f32, RPT>;
  for (var n0 = 0u; n0 < prm.N; n0 += NB) {
    let nw = min(NB, prm.N - n0);
    workgroupBarrier();
    for (var e = lid; e < TT * NB; e += WG) {
      let r = e / NB;
      let k = e % NB;
      var v = 0.0;
      if (r < tRows && k < nw) {
        v = C[bcIdx(bi, t0 + r, gi, n0 + k)];
      }
      Cs[e] = v;
    }
    for (var e = lid; e < PT * NB; e += WG) {
      let r = e / NB;
      let k = e % NB;
      var v = 0.0;
      if (r < pw && k < nw) {
        v = passed[sBase + (p0 + r) * prm.N + n0 + k];
      }
      Ss[r * (NB + 1u) + k] = v;
    }
    if (lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_C, bcIdx(bi, t0, gi, n0), tRows * nw, tRows * nw * 4u, c);
      traceEvent(TRACE_LOAD, wg, T_PASSED, sBase + p0 * prm.N + n0, pw * nw, pw * nw * 4u, c);
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
    if (r < tRows && col < pw) {
      let o = xIdx(bi, t0 + r, hh, p0 + col);
      Y[o] = Ydiag[o] + dsh[r] * acc[k];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_READ, wg, T_YDIAG, xIdx(bi, t0, hh, p0), tRows * pw, tRows * pw * 4u, c);
    traceEvent(TRACE_WRITE, wg, T_Y, xIdx(bi, t0, hh, p0), tRows * pw, tRows * pw * 4u, c);
    traceEvent(TRACE_CHUNK_PHASE, wg, T_NONE, c, tRows, 0u, 4u);
  }
}
