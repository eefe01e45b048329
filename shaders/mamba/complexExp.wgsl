// exp of a complex number with sin/cos accurate to ~1e-7: WGSL's built-in sin/cos may be as coarse as
// 2^-11 absolute (the Vulkan floor, which SwiftShader and fast GPU paths use). Functions only.

// sin and cos of x by Cody–Waite reduction to [-π/4, π/4] and Taylor polynomials of degree 9/10.
fn sincosAccurate(x: f32) -> vec2<f32> {
  let k = round(x * 0.63661977236758134);
  let r = (x - k * 1.5703125) - k * 4.8382679489661923e-4;
  let r2 = r * r;
  let s = r + r * r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0))));
  let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0 - r2 / 3628800.0))));
  let q = i32(k) & 3;
  if (q == 0) {
    return vec2<f32>(s, c);
  }
  if (q == 1) {
    return vec2<f32>(c, -s);
  }
  if (q == 2) {
    return vec2<f32>(-s, -c);
  }
  return vec2<f32>(-c, s);
}

/** e^(a.x + i a.y) as vec2(re, im). */
fn cexpAccurate(a: vec2<f32>) -> vec2<f32> {
  let m = exp(a.x);
  let sc = sincosAccurate(a.y);
  return vec2<f32>(m * sc.y, m * sc.x);
}
