// SSD phase 1, the diagonal blocks: inside each chunk of Q steps, the quadratic (dual) form
//   Ydiag[t, p] = Σ_{s = chunk start..t} exp(segsum(A)[t, s]) (C_t · B_s) X[s, p].
// With Q = T (one chunk) this is the quadratic form over the whole sequence.
// Tiling: one workgroup per (batch·head, PT-column tile of p, chunk and TT-row tile of t); heads vary
// fastest so concurrent workgroups share the same rows of X, B and C. It walks the
// s-tiles of its chunk from the diagonal tile down. Per s-tile: C (TT×NB) and B (TT×NB) slices are loaded
// into workgroup memory one NB-slice of N at a time to form G = C Bᵀ (TT×TT, registers); then the A
// (TT values) and X (TT×PT) tiles are loaded once, X into the space the C and B slices used.
// Stable segment sum: each entry adds at most TT values of A to its row's carry (the decay across the
// s-tiles above), i.e. seg(t, s) = Σ_{k=s+1..t} A_k as masked sums, never a difference of cumulative
// sums, so long chunks with strongly negative A give exp(seg) → 0, never NaN. W = exp(seg) ∘ G (TT×TT).
// W X accumulates in registers; Ydiag (TT×PT) is written once. The carry ends at the chunk start, so
// the p-tile-0 workgroups also write Acum[t] = Σ_{k=start..t} A_k, the decay phases 3 and 4 need.
// Storage traffic per workgroup: C and B once per (s-tile, NB-slice), X once per s-tile, Ydiag once.
// Prelude constants: TT (rows per tile = s-tile size), PT, NB, WG (WG must divide TT·TT and be a multiple
// of PT; TT must be a multiple of WG / PT). Entry: ssd/perWorkgroup.wgsl; the tile, its lanes and the C slice:
// ssd/rowTilePhase.wgsl.

@group(0) @binding(0) var<uniform> prm: SsdParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;  // (batch, T, H, P)
@group(0) @binding(2) var<storage, read> A: array<f32>;  // (batch, T, H)
@group(0) @binding(3) var<storage, read> B: array<f32>;  // (batch, T, G, N)
@group(0) @binding(4) var<storage, read> C: array<f32>;  // (batch, T, G, N)
@group(0) @binding(5) var<storage, read_write> Ydiag: array<f32>;  // (batch, T, H, P)
@group(0) @binding(6) var<storage, read_write> Acum: array<f32>;  // (batch, T, H) Σ_{k=chunk start..t} A_k
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

const GPT: u32 = TT * TT / WG;  // G entries per invocation

// The C and B slices (used while forming G) and the X tile (used after) share one array.
// B rows are read down a column by neighbouring invocations, so they are padded to NB + 1 (no bank conflicts).
const NBP: u32 = NB + 1u;
const CS: u32 = 0u;  // (TT, NB) C_t slice
const BS: u32 = TT * NB;  // (TT, NB + 1) B_s slice
var<workgroup> cbx: array<f32, max(TT * NB + TT * NBP, TT * PT)>;  // C and B slices, then the (TT, PT) X_s tile
var<workgroup> Ash: array<f32, TT>;  // (TT,) A_{s+1} for the s-tile
var<workgroup> W: array<f32, TT * TT>;  // (TT, TT) exp(seg) ∘ G
var<workgroup> carry: array<f32, TT>;  // (TT,) seg(t0 + r, s0 + TT): the decay from the s-tiles above

fn tilePhase(at: RowTile, wg: u32, lid: u32, col: u32, rg: u32) {
  var acc: array<f32, RPT>;
  if (lid < TT) {
    carry[lid] = 0.0;
  }
  for (var j = at.i + 1u; j > 0u; j--) {
    let s0 = at.cStart + (j - 1u) * TT;
    let sRows = min(TT, at.cEnd - s0);
    var g: array<f32, GPT>;
    for (var q = 0u; q < GPT; q++) {
      g[q] = 0.0;
    }
    for (var n0 = 0u; n0 < prm.N; n0 += NB) {
      let nw = min(NB, prm.N - n0);
      workgroupBarrier();
      for (var e = lid; e < TT * NB; e += WG) {
        let r = e / NB;
        let k = e % NB;
        var bv = 0.0;
        if (k < nw && r < sRows) {
          bv = B[bcIdx(at.bi, s0 + r, at.gi, n0 + k)];
        }
        cbx[CS + e] = cSlice(at, e, n0, nw);
        cbx[BS + r * NBP + k] = bv;
      }
      if (lid == 0u) {
        traceEvent(TRACE_LOAD, wg, T_C, bcIdx(at.bi, at.t0, at.gi, n0), at.tRows * nw, at.tRows * nw * 4u, at.c);
        traceEvent(TRACE_LOAD, wg, T_B, bcIdx(at.bi, s0, at.gi, n0), sRows * nw, sRows * nw * 4u, at.c);
      }
      workgroupBarrier();
      for (var q = 0u; q < GPT; q++) {
        let e = lid + q * WG;
        let r = e / TT;
        let cc = e % TT;
        var dot = 0.0;
        for (var k = 0u; k < nw; k++) {
          dot += cbx[CS + r * NB + k] * cbx[BS + cc * NBP + k];
        }
        g[q] += dot;
      }
    }
    workgroupBarrier();
    for (var e = lid; e < TT * PT; e += WG) {
      let r = e / PT;
      let pc = e % PT;
      var v = 0.0;
      if (r < sRows && pc < at.pw) {
        v = X[xIdx(at.bi, s0 + r, at.hh, at.p0 + pc)];
      }
      cbx[e] = v;
    }
    if (lid < TT) {
      var a = 0.0;
      if (s0 + lid + 1u < at.cEnd) {
        a = A[aIdx(at.bi, s0 + lid + 1u, at.hh)];
      }
      Ash[lid] = a;
    }
    if (lid == 0u) {
      traceEvent(TRACE_LOAD, wg, T_X, xIdx(at.bi, s0, at.hh, at.p0), sRows * at.pw, sRows * at.pw * 4u, at.c);
      let na = min(TT, at.cEnd - s0 - 1u);
      traceEvent(TRACE_LOAD, wg, T_A, aIdx(at.bi, s0 + 1u, at.hh), na, na * 4u, at.c);
    }
    workgroupBarrier();
    // W[r, cc] = exp(seg(t, s)) G[r, cc], seg(t, s) = carry[r] + Σ_{m=cc..upper−1} A_{s0+m+1}: a masked sum of
    // at most TT values per entry on top of the row's carry Σ_{k=s0+TT+1..t} A_k from the tiles above.
    for (var q = 0u; q < GPT; q++) {
      let e = lid + q * WG;
      let r = e / TT;
      let cc = e % TT;
      var w = 0.0;
      if (r < at.tRows && cc < sRows && s0 + cc <= at.t0 + r) {
        let upper = min(at.t0 + r - s0, TT);
        var seg = carry[r];
        for (var m = cc; m < upper; m++) {
          seg += Ash[m];
        }
        w = exp(seg) * g[q];
      }
      W[e] = w;
    }
    workgroupBarrier();
    if (lid < at.tRows) {
      let upper = min(at.t0 + lid - s0, TT);
      var seg = carry[lid];
      for (var m = 0u; m < upper; m++) {
        seg += Ash[m];
      }
      carry[lid] = seg;
    }
    for (var k = 0u; k < RPT; k++) {
      let r = rg + k * RG;
      var a = 0.0;
      for (var kk = 0u; kk < sRows; kk++) {
        a += W[r * TT + kk] * cbx[kk * PT + col];
      }
      acc[k] += a;
    }
  }
  if (at.p0 == 0u && lid < at.tRows) {
    Acum[aIdx(at.bi, at.t0 + lid, at.hh)] = carry[lid] + A[aIdx(at.bi, at.cStart, at.hh)];
  }
  for (var k = 0u; k < RPT; k++) {
    let r = rg + k * RG;
    if (r < at.tRows && col < at.pw) {
      Ydiag[xIdx(at.bi, at.t0 + r, at.hh, at.p0 + col)] = acc[k];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_STORE, wg, T_YDIAG, xIdx(at.bi, at.t0, at.hh, at.p0), at.tRows * at.pw, at.tRows * at.pw * 4u, at.c);
    if (at.p0 == 0u) {
      traceEvent(TRACE_WRITE, wg, T_ACUM, aIdx(at.bi, at.t0, at.hh), at.tRows, at.tRows * 4u, at.c);
    }
    traceEvent(TRACE_CHUNK_PHASE, wg, NO_TENSOR, at.c, at.tRows, 0u, PHASE_DIAGONAL_BLOCK_OUTPUT);
  }
}
