// Diagonal complex discretization, elementwise: one invocation per mode (H channels x N2 modes, grid folded
// into x and y). Reads A, B (complex) and Δ per channel once, writes Ā and B̄ once. No workgroup memory.

struct Params {
  count: u32, // H * N2
  perDt: u32, // N2: modes per Δ entry
  zoh: u32, // 1 zoh, 0 bilinear
  rowStride: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(2) var<storage, read> B: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(3) var<storage, read> dt: array<f32>; // (H,)
@group(0) @binding(4) var<storage, read_write> Abar: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(5) var<storage, read_write> Bbar: array<vec2<f32>>; // (H, N2) complex

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.y * p.rowStride + gid.x;
  if (i >= p.count) {
    return;
  }
  let d = discDiag(A[i], dt[i / p.perDt], p.zoh == 1u);
  Abar[i] = d.Abar;
  Bbar[i] = cmul(d.f, B[i]);
}
