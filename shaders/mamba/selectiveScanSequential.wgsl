// Plain sequential selective scan: one workgroup per row (b, d) walks t = t0 .. t1-1 in order.
// Tiling: NT invocations split the N states of the row (state n lives in invocation n % NT, slot
// n / NT, in registers for the whole walk). Per step every invocation reads u_t, δ_t (a broadcast),
// its own B_t[n], C_t[n], updates its states, and the partial sums of y_t meet in workgroup memory
// (a tree of log2 NT levels). out is written once per step; the state is read from `state` at t0 and
// written back at t1, which is what lets the recurrent stepper run one step per dispatch.

struct Params {
  batch: u32,
  D: u32,
  L: u32,
  N: u32,
  t0: u32,
  softplusOn: u32,
  hasZ: u32,
  offDelta: u32,
  offZ: u32,
  offC: u32,
  bsb: u32,
  bsg: u32,
  bsn: u32,
  bst: u32,
  bPer: u32,
  csb: u32,
  csg: u32,
  csn: u32,
  cst: u32,
  cPer: u32,
  t1: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> seq: array<f32>;  // u (B, D, L) | δ (B, D, L) | z (B, D, L)
@group(0) @binding(2) var<storage, read> bc: array<f32>;  // B then C at offC; (D, N[, 2]) or (B, G, N, L[, 2])
@group(0) @binding(3) var<storage, read> chan: array<f32>;  // A (D, N, 2) | D (D,) | delta_bias (D,)
@group(0) @binding(4) var<storage, read_write> outBuf: array<f32>;  // (B, D, L)
@group(0) @binding(5) var<storage, read_write> state: array<f32>;  // (B, D, N[, 2])

override NT: u32 = 64u;
override SPT: u32 = 1u;
override COMPLEX: bool = false;
const MAX_SPT: u32 = 8u;

var<workgroup> sRed: array<f32, NT>;  // (NT,) partial y_t

fn cx() -> u32 {
  return select(1u, 2u, COMPLEX);
}

fn loadPair(base: u32) -> vec2<f32> {
  if (COMPLEX) {
    return vec2<f32>(bc[base], bc[base + 1u]);
  }
  return vec2<f32>(bc[base], 0.0);
}

@compute @workgroup_size(NT)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let bd = wid.x + wid.y * nw.x;
  if (bd >= p.batch * p.D) {
    return;
  }
  let b = bd / p.D;
  let d = bd % p.D;
  let row = bd * p.L;
  let offDs = 2u * p.D * p.N;
  let bBase = b * p.bsb + (d / p.bPer) * p.bsg;
  let cBase = p.offC + b * p.csb + (d / p.cPer) * p.csg;
  var h: array<vec2<f32>, MAX_SPT>;
  var A: array<vec2<f32>, MAX_SPT>;
  for (var k = 0u; k < SPT; k++) {
    let n = li + k * NT;
    if (n < p.N) {
      let s = (bd * p.N + n) * cx();
      h[k] = vec2<f32>(state[s], select(0.0, state[s + 1u], COMPLEX));
      A[k] = vec2<f32>(chan[2u * (d * p.N + n)], chan[2u * (d * p.N + n) + 1u]);
    }
  }
  let bias = chan[offDs + p.D + d];
  let Dd = chan[offDs + d];
  for (var t = p.t0; t < p.t1; t++) {
    let u = seq[row + t];
    let dr = seq[p.offDelta + row + t] + bias;
    let dl = select(dr, softplus(dr), p.softplusOn != 0u);
    var y = 0.0;
    for (var k = 0u; k < SPT; k++) {
      let n = li + k * NT;
      if (n < p.N) {
        let bv = loadPair(bBase + n * p.bsn + t * p.bst);
        let cv = loadPair(cBase + n * p.csn + t * p.cst);
        if (COMPLEX) {
          h[k] = cmul(cexpAcc(dl * A[k]), h[k]) + (dl * u) * bv;
          y += 2.0 * (h[k].x * cv.x - h[k].y * cv.y);
        } else {
          h[k].x = exp(dl * A[k].x) * h[k].x + dl * u * bv.x;
          y += h[k].x * cv.x;
        }
      }
    }
    sRed[li] = y;
    workgroupBarrier();
    for (var s = NT / 2u; s > 0u; s = s >> 1u) {
      if (li < s) {
        sRed[li] += sRed[li + s];
      }
      workgroupBarrier();
    }
    if (li == 0u) {
      var o = sRed[0] + u * Dd;
      if (p.hasZ != 0u) {
        o *= silu(seq[p.offZ + row + t]);
      }
      outBuf[row + t] = o;
    }
    workgroupBarrier();
  }
  for (var k = 0u; k < SPT; k++) {
    let n = li + k * NT;
    if (n < p.N) {
      let s = (bd * p.N + n) * cx();
      state[s] = h[k].x;
      if (COMPLEX) {
        state[s + 1u] = h[k].y;
      }
    }
  }
}
