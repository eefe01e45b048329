// flashDecodingFast with the combine folded into the split pass: after a workgroup has written its split's
// partials it counts itself in (one relaxed atomicAdd on its group's counter); the workgroup that arrives
// last (it read splits − 1) merges the group's partials by log-sum-exp exactly as
// flashDecodingFastCombine.wgsl does, for all G heads, writes O and lse, and sets the counter back to 0
// for the next run. One pass instead of two: no second launch, no drain between them.
// WGSL has no device-scope fence, only storageBarrier() (workgroup scope, storage memory): nothing in the
// WGSL memory model orders another workgroup's partial stores before its atomicAdd as seen from here. This
// form is therefore never the engine's default; the benchmark checks each variant's first run against the
// float64 reference, and bench/fuseCheck.ts compares it with the two passes over repeated runs on the GPU
// machine (BENCHMARKS.md, run G).
// Invocation t takes column block c = t % D4 of splits t / D4, + NSL, … (NSL = WG / D4 slices), per head;
// the slices meet in workgroup memory (scr, reused; fm for their m and l). `finish` is called by every
// invocation in uniform control flow after the partial is written; its twin flashDecodingFastApart.wgsl
// does nothing (the combine kernel runs after).

@group(0) @binding(7) var<storage, read_write> o: array<vec4<f32>>;  // (b, sq, h, d)
@group(0) @binding(8) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(9) var<storage, read_write> arrive: array<atomic<u32>>;  // (b, h_k, sq) splits counted in

var<workgroup> arrived: u32;
var<workgroup> fm: array<vec2<f32>, NSL * G>;  // (NSL, G) each slice's running (m, l)

fn finish(b: u32, kh: u32, i: u32, grp: u32, row0: u32, tid: u32) {
  storageBarrier();  // this workgroup's partial stores, before it counts itself in
  workgroupBarrier();  // and scr's last reads, before it is reused below
  if (tid == 0u) {
    arrived = atomicAdd(&arrive[grp], 1u);
  }
  if (workgroupUniformLoad(&arrived) + 1u != p.splits) { return; }
  storageBarrier();
  if (tid == 0u) {
    atomicStore(&arrive[grp], 0u);
  }
  let c = tid % D4;
  let sl = tid / D4;
  for (var g = 0u; g < G; g++) {
    let base = (row0 + g * p.sq) * p.splits;
    var m = NEG;
    var l = 0.0;
    var acc = vec4<f32>(0.0);
    for (var s = sl; s < p.splits; s += NSL) {
      let mlv = ml[base + s];
      let ov = oPart[(base + s) * D4 + c];
      if (mlv.y > 0.0) {  // a split with no visible key adds nothing
        let mNew = max(m, mlv.x);
        let a = exp(m - mNew);  // 0 while m = NEG
        let w = exp(mlv.x - mNew);
        l = a * l + w * mlv.y;
        acc = a * acc + w * ov;
        m = mNew;
      }
    }
    scr[(sl * G + g) * D4 + c] = acc;
    if (c == 0u) {
      fm[sl * G + g] = vec2<f32>(m, l);
    }
  }
  workgroupBarrier();
  for (var x = tid; x < G * D4; x += WG) {
    let g = x / D4;
    let cc = x % D4;
    var M = NEG;
    for (var t = 0u; t < NSL; t++) {
      M = max(M, fm[t * G + g].x);
    }
    let empty = M <= NEG_HALF;
    var L = 0.0;
    var O = vec4<f32>(0.0);
    for (var t = 0u; t < NSL; t++) {
      let f = fm[t * G + g];
      let w = select(exp(f.x - M), 0.0, empty || f.y == 0.0);
      L += w * f.y;
      O += w * scr[(t * G + g) * D4 + cc];
    }
    let none = empty || L == 0.0;
    o[qAt(b, i, kh * G + g) / 4u + cc] = select(O / L, vec4<f32>(0.0), none);
    if (cc == 0u) {
      lse[row0 + g * p.sq] = select(M + log(L), posInf(), none);
    }
  }
}
