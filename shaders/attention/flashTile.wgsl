// The FlashAttention-2 inner step, shared by the forward kernel and its stepper. Functions and
// workgroup arrays only: attention/attentionCommon.wgsl declares p and the index helpers, the including
// kernel the bindings q, k, v and trace. The tile sizes BR, BC and the workgroup size WG are override
// constants (set by the host, so a run's record names them); a prelude supplies D and
// OPT = ceil(BR·D / WG), which size register arrays and so must be constants.
//
// Workgroup memory (f32): Qs (Br, d), Ks (Bc, d+1), Vs (Bc, d), Ss (Br, Bc+1), m, l, alpha (Br):
// 4·(d·(Br + 2·Bc) + Bc + Br·(Bc + 1) + 3·Br) bytes, which the host keeps within 16 KiB. Rows of Ks
// and Ss are padded by one word so that invocations reading down a column hit different banks.
// The unnormalised output O (Br, d) lives in registers (attention/registerTile.wgsl's slots).
// −inf is represented by NEG (finite), so no infinity ever enters the arithmetic.

override BR: u32 = 16u;
override BC: u32 = 16u;
override WG: u32 = 64u;

const KS: u32 = D + 1u;  // padded row stride of Ks
override SS: u32 = BC + 1u;  // padded row stride of Ss

var<workgroup> Qs: array<f32, BR * D>;  // (Br, d)
var<workgroup> Ks: array<f32, BC * KS>;  // (Bc, d) in rows of d+1
var<workgroup> Vs: array<f32, BC * D>;  // (Bc, d)
var<workgroup> Ss: array<f32, BR * SS>;  // (Br, Bc) in rows of Bc+1: scores, then P
var<workgroup> mRow: array<f32, BR>;  // running max m (NEG = −inf)
var<workgroup> lRow: array<f32, BR>;  // running sum l
var<workgroup> aRow: array<f32, BR>;  // rescale exp(m_old − m_new) of the current step

// Where a Q tile sits: batch, query head, its kv head, first row, rows inside sq, trace workgroup id.
struct TileAt {
  b: u32,
  hh: u32,
  kh: u32,
  r0: u32,
  rows: u32,
  wg: u32,
}

fn loadQTile(tid: u32, at: TileAt) {
  for (var idx = tid; idx < BR * D; idx += WG) {
    let r = idx / D;
    var x = 0.0;
    if (r < at.rows) {
      x = q[qAt(at.b, at.r0 + r, at.hh) + idx % D];
    }
    Qs[idx] = x;
  }
  if (tid == 0u) {
    traceEvent(TRACE_LOAD, at.wg, T_Q, qAt(at.b, at.r0, at.hh), at.rows * D, at.rows * D * 4u, 0u);
  }
}

// (P V)[r, c] over the K/V tile in workgroup memory (Ss holds P after the online softmax).
fn pvAt(r: u32, c: u32) -> f32 {
  var s = 0.0;
  for (var jj = 0u; jj < BC; jj++) {
    s += Ss[r * SS + jj] * Vs[jj * D + c];
  }
  return s;
}

// One K/V tile t: load it, S = scale·Q Kᵀ (masked), online softmax, O ← alpha·O + P V.
fn tileStep(tid: u32, at: TileAt, t: u32, acc: ptr<function, array<f32, OPT>>) {
  let c0 = t * BC;
  let cols = min(BC, p.sk - c0);
  for (var idx = tid; idx < BC * D; idx += WG) {
    let jj = idx / D;
    var kx = 0.0;
    var vx = 0.0;
    if (jj < cols) {
      let o = kvAt(at.b, c0 + jj, at.kh) + idx % D;
      kx = k[o];
      vx = v[o];
    }
    Ks[jj * KS + idx % D] = kx;
    Vs[idx] = vx;
  }
  if (tid == 0u) {
    let o = kvAt(at.b, c0, at.kh);
    traceEvent(TRACE_LOAD, at.wg, T_K, o, cols * D, cols * D * 4u, t);
    traceEvent(TRACE_LOAD, at.wg, T_V, o, cols * D, cols * D * 4u, t);
  }
  workgroupBarrier();

  for (var idx = tid; idx < BR * BC; idx += WG) {
    let r = idx / BC;
    let jj = idx % BC;
    var s = NEG;
    if (r < at.rows && jj < cols && visible(at.r0 + r, c0 + jj)) {
      var dot = 0.0;
      for (var c = 0u; c < D; c++) {
        dot += Qs[r * D + c] * Ks[jj * KS + c];
      }
      s = p.scale * dot;
    }
    Ss[r * SS + jj] = s;
  }
  if (tid == 0u) {
    traceEvent(TRACE_COMPUTE, at.wg, NO_TENSOR, t, at.rows * cols, 0u, PHASE_SCORES);
  }
  workgroupBarrier();

  for (var r = tid; r < BR; r += WG) {
    var mt = NEG;
    for (var jj = 0u; jj < BC; jj++) {
      mt = max(mt, Ss[r * SS + jj]);
    }
    let mOld = mRow[r];
    let mNew = max(mOld, mt);
    let mUse = select(mNew, 0.0, mNew <= NEG_HALF);
    let alpha = exp(mOld - mUse);
    var sum = 0.0;
    for (var jj = 0u; jj < BC; jj++) {
      let s = Ss[r * SS + jj];
      let e = select(exp(s - mUse), 0.0, s <= NEG_HALF);
      Ss[r * SS + jj] = e;
      sum += e;
    }
    mRow[r] = mNew;
    lRow[r] = alpha * lRow[r] + sum;
    aRow[r] = alpha;
  }
  if (tid == 0u) {
    traceEvent(TRACE_COMPUTE, at.wg, NO_TENSOR, t, at.rows, 0u, PHASE_RESCALE);
  }
  workgroupBarrier();

  for (var u = 0u; u < OPT; u++) {
    let e = slot(tid, u);
    if (e.x < BR) {
      (*acc)[u] = aRow[e.x] * (*acc)[u] + pvAt(e.x, e.y);
    }
  }
  if (tid == 0u) {
    traceEvent(TRACE_COMPUTE, at.wg, NO_TENSOR, t, at.rows * D, 0u, PHASE_PV);
  }
  workgroupBarrier();
}

// K/V tiles a Q tile must visit: causal tiles entirely above the diagonal are skipped.
fn visibleTiles(at: TileAt) -> u32 {
  return keyTilesFor(at.r0, at.rows, BC);
}
