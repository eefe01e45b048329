// Fast SSD, first dispatch: two kinds of workgroup in one grid, both independent of each other.
// (1) Chunk states, one workgroup per (batch·head fastest, TM×TN tile of the (P, N) state, chunk c):
//   S_c[p, n] = Σ_{s in c} exp(Σ_{k=s+1..end} A_k) X[s, p] B[s, n],
// a (P×Q)·(Q×N) product: As[s][p] = decay_s · X[s, p] and Bs[s][n] = B[s, n], both staged as read (rows
// of X and B are contiguous along p and n). The decays come from a suffix scan of the chunk's A in
// workgroup memory (masked sums, no differences). The tile-(0, 0) workgroup also writes the chunk's total
// Σ_{k in c} A_k (csum), what state passing needs.
// (2) The chunk's C·Bᵀ, shared by every head of a group: one workgroup per (batch·group, TM×TN tile of
// (s, t), chunk), written transposed, cbt[s][t] = Σ_n B[s, n] C[t, n], so the output pass reads it along t.
// Entry: ssd/perWorkgroup.wgsl (prm.count covers both kinds); tile core: ssd/ssdFastTile.wgsl (f32) or
// ssd/ssdMatrixTile.wgsl (matrix units), staging: ssd/ssdTileStage.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> A: array<f32>;  // (batch, T, H)
@group(0) @binding(3) var<storage, read> B: array<f32>;  // (batch, T, G, N)
@group(0) @binding(4) var<storage, read> C: array<f32>;  // (batch, T, G, N)
@group(0) @binding(5) var<storage, read_write> states: array<f32>;  // (nC, batch, H, P, N)
@group(0) @binding(6) var<storage, read_write> cbt: array<f32>;  // (batch, G, nC, Q, Q) as [s][t]
@group(0) @binding(7) var<storage, read_write> csum: array<f32>;  // (nC, batch, H) Σ_{k in chunk} A_k

fn cdiv(a: u32, b: u32) -> u32 {
  return (a + b - 1u) / b;
}

const STATE: u32 = 0u;
const CB: u32 = 1u;

/** Where the workgroup works: batch, head (chunk states) or group, the chunk's rows, the tile's origin. */
struct Tile {
  bi: u32,
  hh: u32,
  gi: u32,
  cStart: u32,
  len: u32,
  m0: u32,  // p (states) or s (C·Bᵀ)
  n0: u32,  // n (states) or t (C·Bᵀ)
}

// The kernel's slice and store functions read it; control flow around barriers never does (a private
// variable is not uniform to the analysis).
var<private> at: Tile;

fn sliceA(which: u32, k: u32, m: u32) -> f32 {
  if (which == STATE) {
    if (k < at.len && at.m0 + m < prm.P) {
      return X[xIdx(at.bi, at.cStart + k, at.hh, at.m0 + m)] * cum[k];  // decay_s · X[s, p]
    }
  } else if (k < prm.N && at.m0 + m < at.len) {
    return B[bcIdx(at.bi, at.cStart + at.m0 + m, at.gi, k)];  // B[s, n], s along m
  }
  return 0.0;
}

fn sliceB(which: u32, k: u32, n: u32) -> f32 {
  if (which == STATE) {
    if (k < at.len && at.n0 + n < prm.N) {
      return B[bcIdx(at.bi, at.cStart + k, at.gi, at.n0 + n)];
    }
  } else if (k < prm.N && at.n0 + n < at.len) {
    return C[bcIdx(at.bi, at.cStart + at.n0 + n, at.gi, k)];  // C[t, n], t along n
  }
  return 0.0;
}

fn store(which: u32, m: u32, n: u32, v: f32) {
  if (which == STATE) {
    states[stateIdx(at.cStart / prm.Q, at.bi, at.hh) + (at.m0 + m) * prm.N + at.n0 + n] = v;
  } else {
    let c = at.cStart / prm.Q;
    cbt[((at.bi * prm.G + at.gi) * prm.nC + c) * prm.Q * prm.Q + (at.m0 + m) * prm.Q + at.n0 + n] = v;
  }
}

fn stateTile(lin: u32, lid: u32) {
  let tN = cdiv(prm.N, TN);
  let v = unflatten(lin, prm.batch * prm.H, cdiv(prm.P, TM) * tN);
  let hh = v.x % prm.H;
  let cStart = v.z * prm.Q;
  let len = min(prm.Q, prm.T - cStart);  // a let, not at.len: loop bounds around barriers must be uniform
  at = Tile(v.x / prm.H, hh, groupOf(hh), cStart, len, (v.y / tN) * TM, (v.y % tN) * TN);
  chunkScan(at.bi, hh, cStart, len, lid, true);
  if (v.y == 0u && lid == 0u) {
    csum[(v.z * prm.batch + at.bi) * prm.H + hh] = cum[0] + A[aIdx(at.bi, cStart, hh)];
  }
  for (var i = lid; i < QP; i += WG) {
    cum[i] = exp(cum[i]);
  }
  var acc: Acc;
  for (var s0 = 0u; s0 < len; s0 += KS) {
    reduceSlice(&acc, STATE, s0, false, lid, true);
  }
  storeTile(&acc, STATE, lid, prm.P - at.m0, prm.N - at.n0);
}

fn cbTile(lin: u32, lid: u32) {
  let tT = cdiv(prm.Q, TN);
  let v = unflatten(lin, prm.batch * prm.G, cdiv(prm.Q, TM) * tT);
  let cStart = v.z * prm.Q;
  let len = min(prm.Q, prm.T - cStart);
  at = Tile(v.x / prm.G, 0u, v.x % prm.G, cStart, len, (v.y / tT) * TM, (v.y % tT) * TN);
  var acc: Acc;
  for (var n0 = 0u; n0 < prm.N; n0 += KS) {
    reduceSlice(&acc, CB, n0, true, lid, true);
  }
  storeTile(&acc, CB, lid, len - min(at.m0, len), len - min(at.n0, len));
}

/** Chunk-state workgroups first (batch·H·nC·tiles of them), then the C·Bᵀ ones. */
fn phase(lin: u32, wg: u32, lid: u32) {
  let nState = prm.batch * prm.H * prm.nC * cdiv(prm.P, TM) * cdiv(prm.N, TN);
  if (lin < nState) {
    stateTile(lin, lid);
  } else {
    cbTile(lin - nState, lid);
  }
}
