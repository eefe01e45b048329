// Diagonal (complex) discretization of one mode, shared by the S4D kernels. Functions only.
// Complex numbers are vec2<f32>(re, im); needs common/math.wgsl (cmul, cdiv, expm1f) and s4/trig.wgsl.

struct DiscDiag {
  Abar: vec2<f32>,
  // B̄ / B: (e^{ΔA} − 1)/A for ZOH (Δ where A = 0), Δ/(1 − ΔA/2) for bilinear.
  f: vec2<f32>,
}

fn discDiag(A: vec2<f32>, dt: f32, zoh: bool) -> DiscDiag {
  let z = dt * A;
  if (zoh) {
    let sc = sincosAcc(z.y);
    let ea = exp(z.x) * sc.yx;
    let s = sincosAcc(0.5 * z.y).x;
    // e^z − 1 without cancellation: (expm1(x) cos y − 2 sin^2(y/2)) + i e^x sin y.
    let em1 = vec2<f32>(expm1f(z.x) * sc.y - 2.0 * s * s, ea.y);
    var f = vec2<f32>(dt, 0.0);
    if (dot(A, A) > 0.0) {
      f = cdiv(em1, A);
    }
    return DiscDiag(ea, f);
  }
  let den = vec2<f32>(1.0 - 0.5 * z.x, -0.5 * z.y);
  let num = vec2<f32>(1.0 + 0.5 * z.x, 0.5 * z.y);
  return DiscDiag(cdiv(num, den), cdiv(vec2<f32>(dt, 0.0), den));
}

/** Principal complex logarithm. */
fn clog(a: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(0.5 * log(dot(a, a)), atan2Acc(a.y, a.x));
}
