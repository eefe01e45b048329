// FlashAttention-2 forward on the matrix units (chromium_experimental_subgroup_matrix): f16 inputs to the
// multiplies, f32 accumulation, softmax and output in f32. The host prepends D (head dim, a multiple of
// 16), BC (keys per K/V tile, a multiple of 32) and SG (subgroups per workgroup) as constants, and enables
// f16, subgroups and the extension; it runs only where the adapter offers 16×16×16 f16 → f32 matrices and a
// fixed subgroup size of 32 (engine/programs/attention/flashAttentionMatrix.ts checks).
//
// One workgroup per (Q tile of BR = 16·SG rows, head, batch), longest causal tiles first. Subgroup s owns
// query rows [16s, 16s + 16) of the tile and keeps them as D/16 left matrices (Q·scale·log2 e, in f16) for
// the whole run. Per K/V tile: the workgroup stages K and V as f16 in workgroup memory; each subgroup
// multiplies S = Q Kᵀ (BC/16 result matrices, K read column-major) and stores S to its own slice of Ss;
// its 32 lanes run the online softmax on it, two lanes a row (lane = 2·row + half, half of the columns
// each), in log2 units (exp2), masking keys past sk and causally hidden ones, and write P as f16; the
// subgroup multiplies P V into fresh result matrices, stores them to Ss, and each lane folds its half row
// into its registers, O ← alpha·O + (P V). Out: O / l and lse = m·ln 2 + ln l (natural log, as the other
// kernels write it). Same layouts and masks as flashAttention.wgsl (attentionCommon.wgsl).

@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> o: array<f32>;  // (b, sq, h, d)
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;  // declared for the shared bindings; unused

const BR: u32 = 16u * SG;
const WG: u32 = 32u * SG;
const KSTR: u32 = D + 8u;  // f16 row stride of the K, V (and staged Q) tiles: 16-byte rows, banks apart
const SSTR: u32 = BC + 4u;  // f32 row stride of a subgroup's scores
const OSTR: u32 = D + 4u;  // f32 row stride of a subgroup's P·V tile (it reuses the scores' slice)
const SSLICE: u32 = 16u * max(SSTR, OSTR);
const PSTR: u32 = BC + 8u;  // f16 row stride of a subgroup's P
const HALF_C: u32 = BC / 2u;  // columns of the tile one lane handles
const HALF_D: u32 = D / 2u;  // output columns one lane holds
const LOG2E: f32 = 1.4426950408889634;
const LN2: f32 = 0.6931471805599453;

// K tile at 0, V tile at BC·KSTR; before the first tile the Q tile is staged here (BR ≤ 2·BC).
var<workgroup> KV: array<f16, 2u * BC * KSTR>;
var<workgroup> Ss: array<f32, SG * SSLICE>;
var<workgroup> Ps: array<f16, SG * 16u * PSTR>;

alias Left = subgroup_matrix_left<f16, 16, 16>;
alias Right = subgroup_matrix_right<f16, 16, 16>;
alias Acc = subgroup_matrix_result<f32, 16, 16>;

// Rows [r0, r0 + BR) of q (b, ·, hh), or of k and v (b, ·, kh) at `base`, as f16 into KV: zero past `limit`.
fn stageQ(tid: u32, b: u32, hh: u32, r0: u32) {
  for (var idx = tid; idx < BR * D / 4u; idx += WG) {
    let r = idx / (D / 4u);
    let c = (idx % (D / 4u)) * 4u;
    var x = vec4<f32>(0.0);
    if (r0 + r < p.sq) {
      x = q[(qAt(b, r0 + r, hh) + c) / 4u] * (p.scale * LOG2E);
    }
    let at = r * KSTR + c;
    KV[at] = f16(x.x);
    KV[at + 1u] = f16(x.y);
    KV[at + 2u] = f16(x.z);
    KV[at + 3u] = f16(x.w);
  }
}

fn stageKV(tid: u32, b: u32, kh: u32, c0: u32) {
  for (var idx = tid; idx < BC * D / 4u; idx += WG) {
    let j = idx / (D / 4u);
    let c = (idx % (D / 4u)) * 4u;
    var kx = vec4<f32>(0.0);
    var vx = vec4<f32>(0.0);
    if (c0 + j < p.sk) {
      let at = (kvAt(b, c0 + j, kh) + c) / 4u;
      kx = k[at];
      vx = v[at];
    }
    let ka = j * KSTR + c;
    let va = BC * KSTR + ka;
    KV[ka] = f16(kx.x);
    KV[ka + 1u] = f16(kx.y);
    KV[ka + 2u] = f16(kx.z);
    KV[ka + 3u] = f16(kx.w);
    KV[va] = f16(vx.x);
    KV[va + 1u] = f16(vx.y);
    KV[va + 2u] = f16(vx.z);
    KV[va + 3u] = f16(vx.w);
  }
}

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let wid = linear(wg);
  if (wid >= p.count) { return; }  // the whole workgroup, before any barrier
  // Longest causal Q tiles first, so the short ones fill in behind them.
  let r0 = (p.tr - 1u - wid % p.tr) * BR;
  let hh = (wid / p.tr) % p.h;
  let b = wid / (p.tr * p.h);
  let kh = kvHead(hh);
  let sub = tid / 32u;
  let lane = tid % 32u;
  let row = lane / 2u;
  let half = lane % 2u;
  let qi = r0 + sub * 16u + row;  // this lane's query row
  let sBase = sub * SSLICE;
  let pBase = sub * 16u * PSTR;

  stageQ(tid, b, hh, r0);
  workgroupBarrier();
  var ql: array<Left, D / 16u>;
  for (var kb = 0u; kb < D / 16u; kb++) {
    ql[kb] = subgroupMatrixLoad<Left, row_major>(&KV, sub * 16u * KSTR + kb * 16u, KSTR);
  }
  workgroupBarrier();

  var acc: array<f32, HALF_D>;
  var sv: array<f32, HALF_C>;
  var mRow = NEG;
  var lRow = 0.0;
  let tiles = keyTilesFor(r0, min(BR, p.sq - r0), BC);
  for (var t = 0u; t < tiles; t++) {
    let c0 = t * BC;
    stageKV(tid, b, kh, c0);
    workgroupBarrier();

    for (var n = 0u; n < BC / 16u; n++) {
      var s = Acc();
      for (var kb = 0u; kb < D / 16u; kb++) {
        let kt = subgroupMatrixLoad<Right, col_major>(&KV, n * 16u * KSTR + kb * 16u, KSTR);
        s = subgroupMatrixMultiplyAccumulate(ql[kb], kt, s);
      }
      subgroupMatrixStore<row_major>(&Ss, sBase + n * 16u, s, SSTR);
    }
    workgroupBarrier();

    var mt = NEG;
    for (var jj = 0u; jj < HALF_C; jj++) {
      let j = half * HALF_C + jj;
      let key = c0 + j;
      var x = Ss[sBase + row * SSTR + j];
      if (key >= p.sk || !visible(qi, key)) {
        x = NEG;
      }
      sv[jj] = x;
      mt = max(mt, x);
    }
    mt = max(mt, subgroupShuffleXor(mt, 1u));
    let mNew = max(mRow, mt);
    let mUse = select(mNew, 0.0, mNew <= NEG_HALF);
    let alpha = exp2(mRow - mUse);
    var sum = 0.0;
    for (var jj = 0u; jj < HALF_C; jj++) {
      let e = select(exp2(sv[jj] - mUse), 0.0, sv[jj] <= NEG_HALF);
      Ps[pBase + row * PSTR + half * HALF_C + jj] = f16(e);
      sum += e;
    }
    sum += subgroupShuffleXor(sum, 1u);
    lRow = alpha * lRow + sum;
    mRow = mNew;
    workgroupBarrier();

    var pl: array<Left, BC / 16u>;
    for (var kb = 0u; kb < BC / 16u; kb++) {
      pl[kb] = subgroupMatrixLoad<Left, row_major>(&Ps, pBase + kb * 16u, PSTR);
    }
    for (var n = 0u; n < D / 16u; n++) {
      var pv = Acc();
      for (var kb = 0u; kb < BC / 16u; kb++) {
        let vr = subgroupMatrixLoad<Right, row_major>(&KV, BC * KSTR + kb * 16u * KSTR + n * 16u, KSTR);
        pv = subgroupMatrixMultiplyAccumulate(pl[kb], vr, pv);
      }
      subgroupMatrixStore<row_major>(&Ss, sBase + n * 16u, pv, OSTR);
    }
    workgroupBarrier();
    for (var i = 0u; i < HALF_D; i++) {
      acc[i] = alpha * acc[i] + Ss[sBase + row * OSTR + half * HALF_D + i];
    }
    // The next tile's staging writes KV only: every subgroup is past its V loads (the barrier above),
    // and Ss is next written after the barrier that follows the staging.
  }

  if (qi < p.sq) {
    let out = qAt(b, qi, hh) + half * HALF_D;
    for (var i = 0u; i < HALF_D; i++) {
      o[out + i] = select(acc[i] / lRow, 0.0, lRow == 0.0);
    }
    if (half == 0u) {
      let m = select(mRow, 0.0, mRow <= NEG_HALF);
      lse[lseAt(b, hh, qi)] = select(m * LN2 + log(lRow), posInf(), lRow == 0.0);
    }
  }
}
