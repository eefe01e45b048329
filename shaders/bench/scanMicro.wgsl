// The fused scan's recurrence with no memory traffic (bench/scanMicro.ts): each lane runs CH chains of four
// states through p.steps steps of h = exp2(δ·A)·h + (δ·u)·B_t, y_t += C_t·h, the tile kernel's arithmetic
// (shaders/mamba/selectiveScanTile.wgsl), with δ, u made in registers (independent of h, as loaded values
// are) and B_t, C_t made in registers or read from a workgroup table laid out as the tile kernel reads its
// staged tiles (four lanes a channel, step-major). What a lane count and a loop shape cost with nothing
// else in the way: the profile behind BENCHMARKS.md's run J. Results are meaningless numbers (one a lane,
// written so the work is not removed). CH comes in the prelude (an array length).

struct Params {
  steps: u32,
  seed: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

override WG: u32 = 64u;
/** 1: exp2 on the special-function units; 0: 1 + x (one FMA) in its place. */
override EXPS: u32 = 1u;
/** A workgroupBarrier every SYNC steps (a multiple of 4; 0: none). */
override SYNC: u32 = 0u;
/** 1: B_t, C_t read from the workgroup table and each lane's y partials stored to it every 4 steps. */
override STAGE: u32 = 0u;

/** vec4s of workgroup memory held and touched but not used (how much a workgroup may hold before fewer run). */
override PAD: u32 = 0u;

const TSTEPS: u32 = 32u;
var<workgroup> tabB: array<vec4<f32>, TSTEPS * 4u>;  // (step, lane of the channel): four states each
var<workgroup> tabC: array<vec4<f32>, TSTEPS * 4u>;
var<workgroup> tabY: array<vec4<f32>, WG * 9u>;  // (lane, step / 4), padded rows
var<workgroup> tabPad: array<vec4<f32>, PAD + 1u>;

fn decay(x: vec4<f32>) -> vec4<f32> {
  if (EXPS != 0u) {
    return exp2(x);
  }
  return vec4<f32>(1.0) + x;
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let gid = linear(g) * WG + li;
  let gl = li % 4u;
  for (var i = li; i < TSTEPS * 4u; i += WG) {
    tabB[i] = vec4<f32>(f32(i) * 1e-3 + p.seed);
    tabC[i] = vec4<f32>(f32(i) * 2e-3 - p.seed);
  }
  tabPad[li % (PAD + 1u)] = vec4<f32>(p.seed);
  workgroupBarrier();
  var h: array<vec4<f32>, CH>;
  var A2: array<vec4<f32>, CH>;
  for (var c = 0u; c < CH; c++) {
    A2[c] = -vec4<f32>(1.0, 2.0, 3.0, 4.0) * (0.1 + 0.01 * f32(c + gl));
    h[c] = vec4<f32>(0.0);
  }
  var acc = vec4<f32>(0.0);
  var x = vec4<f32>(p.seed + f32(gid) * 1e-7, 0.3, 0.5, 0.7);
  for (var t = 0u; t < p.steps; t += 4u) {
    x = x * 0.99993 + vec4<f32>(1e-5);
    var y = vec4<f32>(0.0);
    for (var s = 0u; s < 4u; s++) {
      let dl = x[s];
      let u = x[(s + 1u) % 4u];
      var B = x.yzwx;
      var C = x.zwxy;
      if (STAGE != 0u) {
        let row = ((t + s) % TSTEPS) * 4u + gl;
        B = tabB[row];
        C = tabC[row];
      }
      for (var c = 0u; c < CH; c++) {
        h[c] = decay(dl * A2[c]) * h[c] + (dl * u) * B;
        y[s] += dot(C, h[c]);
      }
    }
    if (STAGE != 0u) {
      tabY[li * 9u + (t / 4u) % 8u] = y;
    }
    acc += y;
    if (SYNC != 0u && (t + 4u) % max(SYNC, 4u) == 0u) {
      workgroupBarrier();
    }
  }
  var rest = 0.0;
  if (STAGE != 0u) {
    workgroupBarrier();
    rest = tabY[((li + 1u) % WG) * 9u].x;
  }
  out[gid] = dot(acc, vec4<f32>(1.0)) + rest + h[0].x + tabPad[(li + 7u) % (PAD + 1u)].y;
}
