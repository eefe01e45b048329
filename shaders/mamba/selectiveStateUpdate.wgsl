// One decode step of the selective SSM (Mamba-1 rows or Mamba-2 heads): one invocation per (b, h, p)
// walks its N states. Each state value is read once and written once (new_state); x, dt, z, D and
// dt_bias are read once per invocation; B and C rows (N) are shared by the heads of a group and come
// from cache. out is written once. The grid may be folded (engine/gpu/grid.ts); invocations past the rows
// return.

struct Params {
  batch: u32,
  H: u32,
  P: u32,
  N: u32,
  G: u32,
  softplusOn: u32,
  hasZ: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> state: array<f32>;  // (batch, H, P, N)
@group(0) @binding(2) var<storage, read> rowIn: array<f32>;  // x (batch, H, P) | dt (batch, H, P) | z (batch, H, P)
@group(0) @binding(3) var<storage, read> chan: array<f32>;  // A (H, P, N) | D (H, P) | dt_bias (H, P)
@group(0) @binding(4) var<storage, read> bc: array<f32>;  // B (batch, G, N) | C (batch, G, N)
@group(0) @binding(5) var<storage, read_write> outBuf: array<f32>;  // (batch, H, P)
@group(0) @binding(6) var<storage, read_write> newState: array<f32>;  // (batch, H, P, N)

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let i = invocation(g, li, WG);
  let rows = p.batch * p.H * p.P;
  if (i >= rows) {
    return;
  }
  let hp = i % (p.H * p.P);
  let b = i / (p.H * p.P);
  let h = hp / p.P;
  let gi = h / (p.H / p.G);
  let hpn = p.H * p.P * p.N;
  let dr = rowIn[rows + i] + chan[hpn + p.H * p.P + hp];
  let dt = select(dr, softplus(dr), p.softplusOn != 0u);
  let x = rowIn[i];
  let bRow = (b * p.G + gi) * p.N;
  let cRow = p.batch * p.G * p.N + bRow;
  var y = 0.0;
  for (var n = 0u; n < p.N; n++) {
    let s = state[i * p.N + n] * exp(dt * chan[hp * p.N + n]) + dt * bc[bRow + n] * x;
    newState[i * p.N + n] = s;
    y += s * bc[cRow + n];
  }
  y += x * chan[hpn + hp];
  if (p.hasZ != 0u) {
    y *= silu(rowIn[2u * rows + i]);
  }
  outBuf[i] = y;
}
