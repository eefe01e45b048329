// Fast SSD, third dispatch: every output of a TM×TN tile of (t, p) in one pass (Mamba-2's chunk_scan),
//   Y[t, p] = exp(cum_t) Σ_n C[t, n] S_c[p, n]  +  Σ_{s ≤ t in c} exp(cum_t − cum_s) CB[t, s] X[s, p],
// cum_t = Σ_{k=chunk start..t} A_k (a prefix scan of the chunk's A in workgroup memory), S_c the state
// entering chunk c (ssdFastPass.wgsl left it in `states`), CB the group's C·Bᵀ from ssdFastPrep.wgsl.
// One workgroup per (batch·head fastest, TN-column tile of p, chunk and TM-row tile of t). The first sum
// reduces over n: As[n][t] = C[t, n], Bs[n][p] = S_c[p, n], both read along n and stored transposed; it is
// skipped for the first chunk without an initial state. The second reduces over s up to the tile's last
// row: As[s][t] = the decayed, causally masked CB (read along t from cbt[s][t]), Bs[s][p] = X[s, p]. An
// invocation whose rows all lie above a slice skips its product (only the diagonal slices are partial).
// Y is written once; nothing else is. Entry: ssd/perWorkgroup.wgsl; tile core: ssd/ssdFastTile.wgsl (f32) or
// ssd/ssdMatrixTile.wgsl (matrix units, which folds the inter-chunk decay into C: FOLD_DECAY).

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> A: array<f32>;  // (batch, T, H)
@group(0) @binding(3) var<storage, read> C: array<f32>;  // (batch, T, G, N)
@group(0) @binding(4) var<storage, read> cbt: array<f32>;  // (batch, G, nC, Q, Q) as [s][t]
@group(0) @binding(5) var<storage, read> states: array<f32>;  // (nC, batch, H, P, N) entering each chunk
@group(0) @binding(6) var<storage, read_write> Y: array<f32>;  // (batch, T, H, P)

const INTER: u32 = 0u;  // exp(cum_t) Σ_n C[t, n] S_c[p, n]
const DIAG: u32 = 1u;  // Σ_s exp(cum_t − cum_s) CB[t, s] X[s, p]

/** Where the workgroup works: batch, head, group, chunk c (its rows), the tile's first t and p. */
struct Tile {
  bi: u32,
  hh: u32,
  gi: u32,
  c: u32,
  cStart: u32,
  len: u32,
  t0: u32,
  p0: u32,
}

// The kernel's slice and store functions read it; control flow around barriers never does (a private
// variable is not uniform to the analysis).
var<private> at: Tile;

fn sliceA(which: u32, k: u32, m: u32) -> f32 {
  let t = at.t0 + m;
  if (which == INTER) {
    if (k < prm.N && t < at.len) {
      let c = C[bcIdx(at.bi, at.cStart + t, at.gi, k)];
      if (FOLD_DECAY) {
        return c * exp(cum[t]);  // the row's decay in the operand, where the core cannot scale its rows
      }
      return c;
    }
  } else if (k <= t && t < at.len) {
    let cb = cbt[((at.bi * prm.G + at.gi) * prm.nC + at.c) * prm.Q * prm.Q + k * prm.Q + t];
    return cb * exp(cum[t] - cum[k]);
  }
  return 0.0;
}

fn sliceB(which: u32, k: u32, n: u32) -> f32 {
  let p = at.p0 + n;
  if (which == INTER) {
    if (k < prm.N && p < prm.P) {
      return states[stateIdx(at.c, at.bi, at.hh) + p * prm.N + k];
    }
  } else if (k < at.len && p < prm.P) {
    return X[xIdx(at.bi, at.cStart + k, at.hh, p)];
  }
  return 0.0;
}

fn store(which: u32, m: u32, n: u32, v: f32) {
  Y[xIdx(at.bi, at.cStart + at.t0 + m, at.hh, at.p0 + n)] = v;
}

fn phase(lin: u32, wg: u32, lid: u32) {
  let tT = (prm.Q + TM - 1u) / TM;
  let v = unflatten(lin, prm.batch * prm.H, (prm.P + TN - 1u) / TN);
  let hh = v.x % prm.H;
  let c = v.z / tT;
  let cStart = c * prm.Q;
  let len = min(prm.Q, prm.T - cStart);  // lets, not at's fields: control flow around barriers stays uniform
  let t0 = (v.z % tT) * TM;
  at = Tile(v.x / prm.H, hh, groupOf(hh), c, cStart, len, t0, v.y * TN);
  if (t0 >= len) {
    return;  // past a short last chunk: the whole workgroup together
  }
  chunkScan(at.bi, hh, cStart, len, lid, false);
  var acc: Acc;
  if (c > 0u || prm.hasInit != 0u) {
    for (var n0 = 0u; n0 < prm.N; n0 += KS) {
      reduceSlice(&acc, INTER, n0, true, lid, true);
    }
    decayRows(&acc, lid, at.t0);
  }
  // Slices wholly past the invocation's last row add nothing: only the diagonal slices are partial.
  let lastRow = at.t0 + lastRowOf(lid);
  for (var s0 = 0u; s0 < min(t0 + TM, len); s0 += KS) {
    reduceSlice(&acc, DIAG, s0, false, lid, lastRow >= s0);
  }
  storeTile(&acc, DIAG, lid, at.len - at.t0, prm.P - at.p0);
}
