// What the elementwise diagonal kernels (discretizeDiag.wgsl, s4dKernelPrep.wgsl) share: their parameters,
// the inputs A, B (H, N2) complex and Δ (H,), the workgroup size, and the discretization of one mode.
// One invocation per mode over a folded grid. Complex numbers are vec2<f32>(re, im); needs common/math.wgsl
// (cmul, cdiv, expm1f), common/complex.wgsl (sincosAcc, atan2Acc), common/grid.wgsl.

struct Params {
  count: u32, // H * N2
  perDt: u32, // N2: modes per Δ entry
  mode: u32, // 0 zoh, 1 bilinear (s4dKernelPrep.wgsl has more)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(2) var<storage, read> B: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(3) var<storage, read> dt: array<f32>; // (H,)

override WG: u32 = 64u;

struct DiscDiag {
  Abar: vec2<f32>,
  // B̄ / B: (e^{ΔA} − 1)/A for ZOH (Δ where A = 0), Δ/(1 − ΔA/2) for bilinear.
  f: vec2<f32>,
}

fn discDiag(a: vec2<f32>, d: f32, zoh: bool) -> DiscDiag {
  let z = d * a;
  if (zoh) {
    let sc = sincosAcc(z.y);
    let ea = exp(z.x) * sc.yx;
    let s = sincosAcc(0.5 * z.y).x;
    // e^z − 1 without cancellation: (expm1(x) cos y − 2 sin^2(y/2)) + i e^x sin y.
    let em1 = vec2<f32>(expm1f(z.x) * sc.y - 2.0 * s * s, ea.y);
    var f = vec2<f32>(d, 0.0);
    if (dot(a, a) > 0.0) {
      f = cdiv(em1, a);
    }
    return DiscDiag(ea, f);
  }
  let den = vec2<f32>(1.0 - 0.5 * z.x, -0.5 * z.y);
  let num = vec2<f32>(1.0 + 0.5 * z.x, 0.5 * z.y);
  return DiscDiag(cdiv(num, den), cdiv(vec2<f32>(d, 0.0), den));
}

/** Principal complex logarithm. */
fn clog(a: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(0.5 * log(dot(a, a)), atan2Acc(a.y, a.x));
}
