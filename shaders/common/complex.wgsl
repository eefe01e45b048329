// The one accurate complex-exponential module: f32 sin/cos, atan2 and e^z (cephes sinf/cosf/atanf: range
// reduction with a three-part π/4 and minimax polynomials, a few ulp up to |x| ~ 1e4). WGSL's builtins only
// promise 2^-11 absolute error for sin/cos and 4096 ulp for atan2, visible at the engine's 1e-4 tolerance
// (SwiftShader and fast GPU paths sit at that floor). Functions only; cmul/cdiv live in math.wgsl.

/** (sin x, cos x) for |x| up to ~1e4. */
fn sincosAcc(x: f32) -> vec2<f32> {
  let ax = abs(x);
  var j = u32(ax * 1.2732395447351628);
  j += j & 1u;
  let y = f32(j);
  let r = ((ax - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let z = r * r;
  let s = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
  let c = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
  let q = (j >> 1u) & 3u;
  var sc = vec2<f32>(s, c);
  if (q == 1u) {
    sc = vec2<f32>(c, -s);
  } else if (q == 2u) {
    sc = vec2<f32>(-s, -c);
  } else if (q == 3u) {
    sc = vec2<f32>(-c, s);
  }
  if (x < 0.0) {
    sc.x = -sc.x;
  }
  return sc;
}

fn atanAcc(x: f32) -> f32 {
  let ax = abs(x);
  var base = 0.0;
  var t = ax;
  if (ax > 2.414213562373095) {
    base = 1.5707963267948966;
    t = -1.0 / ax;
  } else if (ax > 0.4142135623730950) {
    base = 0.7853981633974483;
    t = (ax - 1.0) / (ax + 1.0);
  }
  let z = t * t;
  let r = base + (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * t + t;
  return select(r, -r, x < 0.0);
}

fn atan2Acc(y: f32, x: f32) -> f32 {
  if (x == 0.0) {
    if (y == 0.0) {
      return 0.0;
    }
    return select(-1.5707963267948966, 1.5707963267948966, y > 0.0);
  }
  let a = atanAcc(y / x);
  if (x > 0.0) {
    return a;
  }
  return select(a - 3.141592653589793, a + 3.141592653589793, y >= 0.0);
}

/** e^z for complex z = (re, im). */
fn cexpAcc(z: vec2<f32>) -> vec2<f32> {
  return exp(z.x) * sincosAcc(z.y).yx;
}
