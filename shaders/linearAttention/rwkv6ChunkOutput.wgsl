// RWKV-6 chunked form, output pass: o_t = s·(q̃_tᵀ S_before(n) + Σ_{s in chunk n, s ≤ t} A[t, s] v_s), with q̃
// and A from rwkv6ChunkAttn.wgsl and S_before(n) from the state scan. Both terms are one product
// [q̃ | A] (rows, K + ns) · [S_before(n); v_{c0..}] (K + ns, V), ns = the chunk's keys up to the tile's last row.
// Tiling: one workgroup per (b, h, chunk, tile of BR rows). The left factor [q̃ | A] of the BR rows is loaded
// once into workgroup memory (BR·(K + C) values); the (BR, V) output tile lives in registers (NACC per
// invocation, laTile.wgsl's accumulateTile) and is written once. The right factor is read from storage (each
// element by the BR rows of the tile, through the cache). p.perHead = NC·tiles.
// The prelude defines KP (= K), CP (= C), BR and NACC (= ceil(BR·V / WG)).

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> qd: array<f32>;  // (B, H, T, K) q̃
@group(0) @binding(2) var<storage, read> attn: array<f32>;  // (B, H, T, C) A[t, c0 + c]
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (B, H, T, V)
@group(0) @binding(4) var<storage, read> states: array<f32>;  // (B, H, NC, K, V) S_before(n)
@group(0) @binding(5) var<storage, read_write> o: array<f32>;  // (B, H, T, V)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

const LW: u32 = KP + CP;
var<workgroup> lhs: array<f32, BR * LW>;  // (BR, K + C): [q̃ | A] rows
var<private> at: vec2<u32>;  // (state base, first key row) of this tile, for rhsAt

fn lhsAt(r: u32, s: u32) -> f32 {
  return lhs[r * LW + s];
}

fn rhsAt(s: u32, c: u32) -> f32 {
  if (s < p.K) {
    return states[at.x + s * p.V + c];
  }
  return v[(at.y + s - p.K) * p.V + c];
}

@compute @workgroup_size(WG)
fn main(group: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let tile = laTile(linear(group));
  let rt = rowTile(tile, BR);  // rows of chunk rt.n
  if (!rt.live) {
    return;
  }
  let ns = rt.r1 - rt.c0;
  let K = p.K;
  let V = p.V;
  let bh = tile.bh;
  let wg = tile.lin;
  let sb = (bh * p.NC + rt.n) * K * V;
  at = vec2<u32>(sb, bh * p.T + rt.c0);
  for (var e = lid; e < rt.nr * (K + ns); e += WG) {
    let r = e / (K + ns);
    let c = e % (K + ns);
    let row = bh * p.T + rt.r0 + r;
    var x = 0.0;
    if (c < K) {
      x = qd[row * K + c];
    } else {
      x = attn[row * p.C + c - K];
    }
    lhs[r * LW + c] = x;
  }
  if (lid == 0u) {
    traceEvent(TRACE_CHUNK_PHASE, wg, T_STATES, rt.n, rt.nr, 0u, PHASE_INTER_CHUNK);
    traceEvent(TRACE_LOAD, wg, T_Q, (bh * p.T + rt.r0) * K, rt.nr * K, rt.nr * K * 4u, rt.n);
    traceEvent(TRACE_LOAD, wg, T_ATTN, (bh * p.T + rt.r0) * p.C, rt.nr * ns, rt.nr * ns * 4u, rt.n);
    traceEvent(TRACE_READ, wg, T_STATES, sb, K * V, K * V * 4u, rt.n);
    traceEvent(TRACE_READ, wg, T_V, (bh * p.T + rt.c0) * V, ns * V, ns * V * 4u, rt.n);
  }
  workgroupBarrier();
  var acc: array<f32, NACC>;  // zero-initialised
  accumulateTile(&acc, lid, rt.nr, V, K + ns);  // o[r, ·] = Σ_s [q̃ | A][r, s] [S_before; v][s, ·]
  for (var j = 0u; j < NACC; j++) {
    let e = lid + j * WG;
    if (e < rt.nr * V) {
      o[(bh * p.T + rt.r0 + e / V) * V + e % V] = p.scale * acc[j];
    }
  }
  if (lid == 0u) {
    traceEvent(TRACE_STORE, wg, T_O, (bh * p.T + rt.r0) * V, rt.nr * V, rt.nr * V * 4u, rt.n);
  }
}
