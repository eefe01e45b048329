// Diagonal complex discretization, elementwise: one invocation per mode (H channels x N2 modes, grid folded
// by gridForInvocations). Reads A, B (complex) and Δ per channel once, writes Ā and B̄ once. No workgroup
// memory. Parameters and inputs: s4/diagDisc.wgsl (mode 0 zoh, 1 bilinear).

@group(0) @binding(4) var<storage, read_write> Abar: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(5) var<storage, read_write> Bbar: array<vec2<f32>>; // (H, N2) complex

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let i = invocation(g, lid, WG);
  if (i >= p.count) {
    return;
  }
  let d = discDiag(A[i], dt[i / p.perDt], p.mode == 0u);
  Abar[i] = d.Abar;
  Bbar[i] = cmul(d.f, B[i]);
}
