// One step of the (decayed) linear-attention recurrence per dispatch, for the step-by-step view:
// S_t = diag(e^{gk_t}) e^{g_t} S_{t−1} + k_t v_tᵀ, o_t = s·q_tᵀ S_t. One invocation per state column
// (b, h, v) updates S[:, v] in place in storage (K reads and K writes) and writes o_t[b, h, v] once.
// Small sizes only (T ≤ a few hundred): the host reads S_t back after every dispatch. One workgroup per
// (b, h, tile of WG columns), p.perHead = ceil(V / WG), folded past 65,535.

@group(0) @binding(0) var<uniform> p: LaParams;
@group(0) @binding(1) var<storage, read> q: array<f32>;  // (B, T, H, K)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (B, T, H, K)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (B, T, H, V)
@group(0) @binding(4) var<storage, read> gate: array<f32>;  // GATE 1: g (B, T, H); GATE 2: gk (B, T, H, K)
@group(0) @binding(5) var<storage, read_write> S: array<f32>;  // (B, H, K, V)
@group(0) @binding(6) var<storage, read_write> o: array<f32>;  // (B, H, V) o_t

override WG: u32 = 64u;
override GATE: u32 = 0u;

@compute @workgroup_size(WG)
fn main(group: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let tile = laTile(linear(group));
  let col = tile.x * WG + lid;
  let h = tile.h;
  let b = tile.b;
  if (tile.lin >= p.count || col >= p.V || p.t >= p.T) {
    return;
  }
  let row = (b * p.T + p.t) * p.H + h;
  let so = (b * p.H + h) * p.K * p.V + col;
  var eg = 1.0;
  if (GATE == 1u) {
    eg = exp(gate[row]);
  }
  let vt = v[row * p.V + col];
  var acc = 0.0;
  for (var i = 0u; i < p.K; i++) {
    var d = eg;
    if (GATE == 2u) {
      d = exp(gate[row * p.K + i]);
    }
    let s = d * S[so + i * p.V] + k[row * p.K + i] * vt;
    S[so + i * p.V] = s;
    acc += q[row * p.K + i] * s;
  }
  o[(b * p.H + h) * p.V + col] = p.scale * acc;
}
