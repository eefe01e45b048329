// Fast SSD, third dispatch: every output of a TM×TN tile of (t, p) in one pass (Mamba-2's chunk_scan),
//   Y[t, p] = exp(cum_t) Σ_n C[t, n] S_c[p, n]  +  Σ_{s ≤ t in c} exp(cum_t − cum_s) CB[t, s] X[s, p],
// cum_t = Σ_{k=chunk start..t} A_k (a prefix scan of the chunk's A in workgroup memory), S_c the state
// entering chunk c (ssdFastPass.wgsl left it in `states`), CB the group's C·Bᵀ from ssdFastPrep.wgsl.
// One workgroup per (batch·head fastest, TN-column tile of p, chunk and TM-row tile of t). The first sum
// reduces over n: As[n][t] = C[t, n], Bs[n][p] = S_c[p, n], both read along n and stored transposed; it is
// skipped for the first chunk without an initial state. The second reduces over s up to the tile's last
// row: As[s][t] = the decayed, causally masked CB (read along t from cbt[s][t]), Bs[s][p] = X[s, p]. An
// invocation whose rows all lie above a slice skips its product (only the diagonal slices are partial).
// Y is written once; nothing else is. Entry: ssd/perWorkgroup.wgsl; tile core: ssd/ssdFastTile.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> A: array<f32>;  // (batch, T, H)
@group(0) @binding(3) var<storage, read> C: array<f32>;  // (batch, T, G, N)
@group(0) @binding(4) var<storage, read> cbt: array<f32>;  // (batch, G, nC, Q, Q) as [s][t]
@group(0) @binding(5) var<storage, read> states: array<f32>;  // (nC, batch, H, P, N) entering each chunk
@group(0) @binding(6) var<storage, read_write> Y: array<f32>;  // (batch, T, H, P)

fn phase(lin: u32, wg: u32, lid: u32) {
  let tT = (prm.Q + TM - 1u) / TM;
  let v = unflatten(lin, prm.batch * prm.H, (prm.P + TN - 1u) / TN);
  let bi = v.x / prm.H;
  let hh = v.x % prm.H;
  let gi = groupOf(hh);
  let c = v.z / tT;
  let t0 = (v.z % tT) * TM;
  let p0 = v.y * TN;
  let cStart = c * prm.Q;
  let len = min(prm.Q, prm.T - cStart);
  if (t0 >= len) {
    return;  // past a short last chunk: the whole workgroup together
  }
  let tr = lid / CT;
  let tc = lid % CT;
  for (var i = lid; i < QP; i += WG) {
    var a = 0.0;
    if (i < len) {
      a = A[aIdx(bi, cStart + i, hh)];
    }
    cum[i] = a;
  }
  scanCum(lid, false);
  var acc: array<vec4<f32>, RM * BV>;
  if (c > 0u || prm.hasInit != 0u) {
    let sBase = stateIdx(c, bi, hh);
    for (var n0 = 0u; n0 < prm.N; n0 += KS) {
      workgroupBarrier();
      for (var q = 0u; q < SA; q++) {
        let at = slot(q, lid, KS);
        let k = at.y;
        let m = at.x;
        var cv = 0.0;
        if (n0 + k < prm.N && t0 + m < len) {
          cv = C[bcIdx(bi, cStart + t0 + m, gi, n0 + k)];
        }
        setA(k, m, cv);
      }
      for (var q = 0u; q < SB; q++) {
        let at = slot(q, lid, KS);
        let k = at.y;
        let n = at.x;
        var sv = 0.0;
        if (n0 + k < prm.N && p0 + n < prm.P) {
          sv = states[sBase + (p0 + n) * prm.N + n0 + k];
        }
        setB(k, n, sv);
      }
      workgroupBarrier();
      mma(&acc, tr, tc);
    }
    for (var r = 0u; r < RM; r++) {
      let f = exp(cum[min(t0 + rowOf(tr, r), QP - 1u)]);
      for (var q = 0u; q < BV; q++) {
        acc[r * BV + q] *= f;
      }
    }
  }
  let cbBase = ((bi * prm.G + gi) * prm.nC + c) * prm.Q * prm.Q;
  let sEnd = min(t0 + TM, len);
  let lastRow = t0 + rowOf(tr, RM - 1u);
  for (var s0 = 0u; s0 < sEnd; s0 += KS) {
    workgroupBarrier();
    for (var q = 0u; q < SA; q++) {
      let at = slot(q, lid, TM);
      let k = at.x;
      let m = at.y;
      let s = s0 + k;
      let t = t0 + m;
      var w = 0.0;
      if (s <= t && t < len) {
        w = cbt[cbBase + s * prm.Q + t] * exp(cum[t] - cum[s]);
      }
      setA(k, m, w);
    }
    for (var q = 0u; q < SB; q++) {
      let at = slot(q, lid, TN);
      let k = at.x;
      let n = at.y;
      var x = 0.0;
      if (s0 + k < len && p0 + n < prm.P) {
        x = X[xIdx(bi, cStart + s0 + k, hh, p0 + n)];
      }
      setB(k, n, x);
    }
    workgroupBarrier();
    if (lastRow >= s0) {
      mma(&acc, tr, tc);
    }
  }
  for (var r = 0u; r < RM; r++) {
    let t = t0 + rowOf(tr, r);
    for (var j = 0u; j < RN; j++) {
      let p = p0 + colOf(tc, j);
      if (t < len && p < prm.P) {
        Y[xIdx(bi, cStart + t, hh, p)] = acc[r * BV + j / 4u][j % 4u];
      }
    }
  }
}
