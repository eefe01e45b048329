// Scalar and complex helpers shared by kernels. Functions only: no bindings, no overrides.
// Semantics follow torch: softplus returns x above the threshold 20; silu(x) = x * sigmoid(x).

fn softplus(x: f32) -> f32 {
  if (x > 20.0) {
    return x;
  }
  // log1p(exp(x)) without losing precision for very negative x.
  let e = exp(x);
  if (e < 1e-4) {
    return e - 0.5 * e * e;
  }
  return log(1.0 + e);
}

fn sigmoid(x: f32) -> f32 {
  if (x >= 0.0) {
    return 1.0 / (1.0 + exp(-x));
  }
  let e = exp(x);
  return e / (1.0 + e);
}

fn silu(x: f32) -> f32 {
  return x * sigmoid(x);
}

// Complex numbers as vec2<f32>(re, im).
fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

fn cdiv(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let d = b.x * b.x + b.y * b.y;
  return vec2<f32>(a.x * b.x + a.y * b.y, a.y * b.x - a.x * b.y) / d;
}

/** exp(x) - 1 with relative accuracy near 0 (f32 has no expm1). */
fn expm1f(x: f32) -> f32 {
  if (abs(x) < 1e-3) {
    return x + 0.5 * x * x + x * x * x / 6.0;
  }
  return exp(x) - 1.0;
}
