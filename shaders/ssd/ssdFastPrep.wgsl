// Fast SSD, first dispatch: two kinds of workgroup in one grid, both independent of each other.
// (1) Chunk states, one workgroup per (batch·head fastest, TM×TN tile of the (P, N) state, chunk c):
//   S_c[p, n] = Σ_{s in c} exp(Σ_{k=s+1..end} A_k) X[s, p] B[s, n],
// a (P×Q)·(Q×N) product: As[s][p] = decay_s · X[s, p] and Bs[s][n] = B[s, n], both staged as read (rows
// of X and B are contiguous along p and n). The decays come from a suffix scan of the chunk's A in
// workgroup memory (masked sums, no differences). The tile-(0, 0) workgroup also writes the chunk's total
// Σ_{k in c} A_k (csum), what state passing needs.
// (2) The chunk's C·Bᵀ, shared by every head of a group: one workgroup per (batch·group, TM×TN tile of
// (s, t), chunk), written transposed, cbt[s][t] = Σ_n B[s, n] C[t, n], so the output pass reads it along t.
// Entry: ssd/perWorkgroup.wgsl (prm.count covers both kinds); tile core: ssd/ssdFastTile.wgsl.

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

fn stateTile(lin: u32, lid: u32, tr: u32, tc: u32) {
  let tN = cdiv(prm.N, TN);
  let v = unflatten(lin, prm.batch * prm.H, cdiv(prm.P, TM) * tN);
  let bi = v.x / prm.H;
  let hh = v.x % prm.H;
  let gi = groupOf(hh);
  let c = v.z;
  let p0 = (v.y / tN) * TM;
  let n0 = (v.y % tN) * TN;
  let cStart = c * prm.Q;
  let len = min(prm.Q, prm.T - cStart);
  // cum[i] = A_{cStart+i+1} inside the chunk, then Σ_{j ≥ i}: the decay from row i to the chunk's end.
  for (var i = lid; i < QP; i += WG) {
    var a = 0.0;
    if (i + 1u < len) {
      a = A[aIdx(bi, cStart + i + 1u, hh)];
    }
    cum[i] = a;
  }
  scanCum(lid, true);
  if (v.y == 0u && lid == 0u) {
    csum[(c * prm.batch + bi) * prm.H + hh] = cum[0] + A[aIdx(bi, cStart, hh)];
  }
  for (var i = lid; i < QP; i += WG) {
    cum[i] = exp(cum[i]);
  }
  var acc: array<vec4<f32>, RM * BV>;
  for (var s0 = 0u; s0 < len; s0 += KS) {
    workgroupBarrier();
    for (var q = 0u; q < SA; q++) {
      let at = slot(q, lid, TM);
      let k = at.x;
      let m = at.y;
      var x = 0.0;
      if (s0 + k < len && p0 + m < prm.P) {
        x = X[xIdx(bi, cStart + s0 + k, hh, p0 + m)] * cum[s0 + k];
      }
      setA(k, m, x);
    }
    for (var q = 0u; q < SB; q++) {
      let at = slot(q, lid, TN);
      let k = at.x;
      let n = at.y;
      var b = 0.0;
      if (s0 + k < len && n0 + n < prm.N) {
        b = B[bcIdx(bi, cStart + s0 + k, gi, n0 + n)];
      }
      setB(k, n, b);
    }
    workgroupBarrier();
    mma(&acc, tr, tc);
  }
  let base = stateIdx(c, bi, hh);
  for (var r = 0u; r < RM; r++) {
    let p = p0 + rowOf(tr, r);
    for (var j = 0u; j < RN; j++) {
      let n = n0 + colOf(tc, j);
      if (p < prm.P && n < prm.N) {
        states[base + p * prm.N + n] = acc[r * BV + j / 4u][j % 4u];
      }
    }
  }
}

fn cbTile(lin: u32, lid: u32, tr: u32, tc: u32) {
  let tT = cdiv(prm.Q, TN);
  let v = unflatten(lin, prm.batch * prm.G, cdiv(prm.Q, TM) * tT);
  let bi = v.x / prm.G;
  let gi = v.x % prm.G;
  let c = v.z;
  let s0 = (v.y / tT) * TM;
  let t0 = (v.y % tT) * TN;
  let cStart = c * prm.Q;
  let len = min(prm.Q, prm.T - cStart);
  var acc: array<vec4<f32>, RM * BV>;
  for (var n0 = 0u; n0 < prm.N; n0 += KS) {
    workgroupBarrier();
    // Rows of B and C are contiguous along n, the reduction: k fastest in the reads, stores transposed.
    for (var q = 0u; q < SA; q++) {
      let at = slot(q, lid, KS);
      let k = at.y;
      let m = at.x;
      var b = 0.0;
      if (n0 + k < prm.N && s0 + m < len) {
        b = B[bcIdx(bi, cStart + s0 + m, gi, n0 + k)];
      }
      setA(k, m, b);
    }
    for (var q = 0u; q < SB; q++) {
      let at = slot(q, lid, KS);
      let k = at.y;
      let n = at.x;
      var cv = 0.0;
      if (n0 + k < prm.N && t0 + n < len) {
        cv = C[bcIdx(bi, cStart + t0 + n, gi, n0 + k)];
      }
      setB(k, n, cv);
    }
    workgroupBarrier();
    mma(&acc, tr, tc);
  }
  let base = ((bi * prm.G + gi) * prm.nC + c) * prm.Q * prm.Q;
  for (var r = 0u; r < RM; r++) {
    let s = s0 + rowOf(tr, r);
    for (var j = 0u; j < RN; j++) {
      let t = t0 + colOf(tc, j);
      if (s < len && t < len) {
        cbt[base + s * prm.Q + t] = acc[r * BV + j / 4u][j % 4u];
      }
    }
  }
}

/** Chunk-state workgroups first (batch·H·nC·tiles of them), then the C·Bᵀ ones. */
fn phase(lin: u32, wg: u32, lid: u32) {
  let nState = prm.batch * prm.H * prm.nC * cdiv(prm.P, TM) * cdiv(prm.N, TN);
  let tr = lid / CT;
  let tc = lid % CT;
  if (lin < nState) {
    stateTile(lin, lid, tr, tc);
  } else {
    cbTile(lin - nState, lid, tr, tc);
  }
}
