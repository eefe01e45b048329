// Plain sequential selective scan: one workgroup per row (b, d) walks t = t0 .. t1-1 in order.
// Tiling: NT invocations split the N states of the row (state n lives in invocation n % NT, slot
// n / NT, in registers for the whole walk). Per step every invocation reads u_t, δ_t (a broadcast),
// its own B_t[n], C_t[n], updates its states, and the partial sums of y_t meet in workgroup memory
// (a tree of log2 NT levels). out is written once per step; the state is read from `state` at t0 and
// written back at t1, which is what lets the recurrent stepper run one step per dispatch.

// Bindings 0..3 (p, seq, bc, chan), COMPLEX, cx(), loadPair() and the shared reads: selectiveScanParams.wgsl.
@group(0) @binding(4) var<storage, read_write> outBuf: array<f32>;  // (B, D, L)
@group(0) @binding(5) var<storage, read_write> state: array<f32>;  // (B, D, N[, 2])
@group(0) @binding(6) var<uniform> w: Window;

/** The steps this dispatch walks: t0 .. t1-1. */
struct Window {
  t0: u32,
  t1: u32,
}

override NT: u32 = 64u;
override SPT: u32 = 1u;
const MAX_SPT: u32 = 8u;

var<workgroup> sRed: array<f32, NT>;  // (NT,) partial y_t

@compute @workgroup_size(NT)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let bd = linear(g);
  if (bd >= p.batch * p.D) {  // the overshoot of a folded grid: the whole workgroup returns
    return;
  }
  let b = bd / p.D;
  let d = bd % p.D;
  let row = bd * p.L;
  let bBase = bStart(b, d);
  let cBase = cStart(b, d);
  var h: array<vec2<f32>, MAX_SPT>;
  var A: array<vec2<f32>, MAX_SPT>;
  for (var k = 0u; k < SPT; k++) {
    let n = li + k * NT;
    if (n < p.N) {
      let s = (bd * p.N + n) * cx();
      h[k] = vec2<f32>(state[s], select(0.0, state[s + 1u], COMPLEX));
      A[k] = aAt(d, n);
    }
  }
  for (var t = w.t0; t < w.t1; t++) {
    let u = uAt(bd, t);
    let dl = deltaAt(bd, t, d);
    var y = 0.0;
    for (var k = 0u; k < SPT; k++) {
      let n = li + k * NT;
      if (n < p.N) {
        let bv = loadPair(bBase + n * p.bState + t * p.bTime);
        let cv = loadPair(cBase + n * p.cState + t * p.cTime);
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
      outBuf[row + t] = gatedOut(sRed[0], bd, t, u, d);
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
