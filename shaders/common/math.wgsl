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

/**
 * softplus of four values without branches: each lane computes all three ranges (x past 20 gives x; exp(x)
 * under 1e-4 gives e − e²/2; else log(1 + e)) and selects, the same values as softplus, so lanes whose
 * inputs fall in different ranges never diverge (the fused scan's tile kernel: BENCHMARKS.md, run J).
 */
fn softplus4(v: vec4<f32>) -> vec4<f32> {
  let e = exp(v);
  let mid = select(log(vec4<f32>(1.0) + e), e - 0.5 * e * e, e < vec4<f32>(1e-4));
  return select(mid, v, v > vec4<f32>(20.0));
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
