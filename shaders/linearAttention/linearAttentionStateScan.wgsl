// Inter-chunk state passing of the chunked form: S_before(0) = S0, S_before(n+1) = e^{G_last(n)} S_before(n)
// + ΔS_n (DECAY 2: the decay of row i is e^{G_last(n)[i]}, G over K). One invocation per state element (b, h, i, v) walks the NC chunks in order; each ΔS_n is read
// once from storage and overwritten in place by S_before(n), and S_T is written once at the end. Elements
// are independent, so the only sequential work is the O(NC) walk. p.perHead = ceil(K·V / WG) workgroups per
// head.

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> gHi: array<f32>;  // (B, H, T) G restarted per chunk, DECAY 1; (B, H, T, K) DECAY 2
@group(0) @binding(2) var<storage, read> gLo: array<f32>;  // (B, H, T); (B, H, T, K) DECAY 2
@group(0) @binding(3) var<storage, read> s0: array<f32>;  // (B, H, K, V)
@group(0) @binding(4) var<storage, read_write> states: array<f32>;  // (B, H, NC, K, V): ΔS_n in, S_before(n) out
@group(0) @binding(5) var<storage, read_write> sT: array<f32>;  // (B, H, K, V)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;
override DECAY: u32 = 0u;

// Entry: common/perWorkgroup.wgsl (workgroupCount() is laCommon's p.count).
fn workgroupMain(lin: u32, lid: u32) {
  let tile = laTile(lin);
  let KV = p.K * p.V;
  let e0 = tile.x * WG;  // this workgroup's first state element
  let e = e0 + lid;
  let live = e < KV;
  let bh = tile.bh;
  let wg = tile.lin;
  let nLive = min(WG, KV - e0);
  var run = 0.0;
  if (live && p.hasS0 != 0u) {
    run = s0[bh * KV + e];
  }
  if (lid == 0u && p.hasS0 != 0u) {
    traceEvent(TRACE_READ, wg, T_S0, bh * KV + e0, nLive, nLive * 4u, 0u);
  }
  for (var n = 0u; n < p.NC; n++) {
    if (lid == 0u) {
      traceEvent(TRACE_CHUNK_PHASE, wg, T_STATES, n, nLive, 0u, PHASE_STATE_SCAN);
      traceEvent(TRACE_READ, wg, T_STATES, (bh * p.NC + n) * KV + e0, nLive, nLive * 4u, n);
      traceEvent(TRACE_WRITE, wg, T_STATES, (bh * p.NC + n) * KV + e0, nLive, nLive * 4u, n);
    }
    if (live) {
      let idx = (bh * p.NC + n) * KV + e;
      let d = states[idx];
      states[idx] = run;
      var decay = 1.0;
      if (DECAY == 1u) {
        let last = bh * p.T + min(n * p.C + p.C, p.T) - 1u;
        decay = exp(gHi[last] + gLo[last]);
      } else if (DECAY == 2u) {
        let last = (bh * p.T + min(n * p.C + p.C, p.T) - 1u) * p.K + e / p.V;
        decay = exp(gHi[last] + gLo[last]);
      }
      run = decay * run + d;
    }
  }
  if (live) {
    sT[bh * KV + e] = run;
  }
  if (lid == 0u) {
    traceEvent(TRACE_WRITE, wg, T_FINAL_STATE, bh * KV + e0, nLive, nLive * 4u, 0u);
  }
}
