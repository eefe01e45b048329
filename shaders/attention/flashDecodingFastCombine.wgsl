// flashDecodingFast, kernel 2 of 2: merge the splits' partials of one query row by log-sum-exp, reading only
// the partials (m, l) and O, each once, with 16-byte loads of O.
// One workgroup per (row, head, batch), WG invocations = D4 column blocks (vec4) × NSL slices of the splits:
// invocation t takes column block t % D4 of splits t / D4, + NSL, …, U of them per step (their loads
// issued together), and folds them into its own running (m, l, O) online; then the NSL slices meet in
// workgroup memory and the first D4 invocations merge them: M = max m, L = Σ l·exp(m − M),
// O = Σ O·exp(m − M) / L, lse = M + log L. A row with no visible key gives O = 0, lse = +inf.
// p.count = b·h·sq rows on a folded grid (common/grid.wgsl). The prelude sets WG, D4, NSL and U.

@group(0) @binding(1) var<storage, read> ml: array<vec2<f32>>;  // (b, h, sq, splits): (m, l)
@group(0) @binding(2) var<storage, read> oPart: array<vec4<f32>>;  // (b, h, sq, splits, d)
@group(0) @binding(3) var<storage, read_write> o: array<vec4<f32>>;  // (b, sq, h, d)
@group(0) @binding(4) var<storage, read_write> lse: array<f32>;  // (b, h, sq)
@group(0) @binding(5) var<storage, read_write> trace: TraceBuf;  // declared for common/trace.wgsl; never traced

var<workgroup> cm: array<f32, WG>;  // each invocation's running max
var<workgroup> cl: array<f32, WG>;  // its running sum
var<workgroup> co: array<vec4<f32>, WG>;  // its unnormalised O block

@compute @workgroup_size(WG)
fn main(wg: Workgroups, @builtin(local_invocation_index) tid: u32) {
  let row = linear(wg);  // (b·h + hh)·sq + i
  if (row >= p.count) { return; }  // the whole workgroup, before the barrier
  let base = row * p.splits;
  let c = tid % D4;
  let sl = tid / D4;
  var m = NEG;
  var l = 0.0;
  var acc = vec4<f32>(0.0);
  for (var s0 = sl; s0 < p.splits; s0 += NSL * U) {
    var mlv: array<vec2<f32>, U>;
    var ov: array<vec4<f32>, U>;
    for (var u = 0u; u < U; u++) {
      let s = min(s0 + u * NSL, p.splits - 1u);
      mlv[u] = ml[base + s];
      ov[u] = oPart[(base + s) * D4 + c];
    }
    for (var u = 0u; u < U; u++) {
      // A split past the end (read again at the last one) or with no visible key adds nothing.
      if (s0 + u * NSL < p.splits && mlv[u].y > 0.0) {
        let mNew = max(m, mlv[u].x);
        let a = exp(m - mNew);  // 0 while m = NEG
        let w = exp(mlv[u].x - mNew);
        l = a * l + w * mlv[u].y;
        acc = a * acc + w * ov[u];
        m = mNew;
      }
    }
  }
  cm[tid] = m;
  cl[tid] = l;
  co[tid] = acc;
  workgroupBarrier();
  if (tid < D4) {
    var M = NEG;
    for (var t = 0u; t < NSL; t++) {
      M = max(M, cm[t * D4 + c]);
    }
    let empty = M <= NEG_HALF;
    var L = 0.0;
    var O = vec4<f32>(0.0);
    for (var t = 0u; t < NSL; t++) {
      let w = select(exp(cm[t * D4 + c] - M), 0.0, empty || cl[t * D4 + c] == 0.0);
      L += w * cl[t * D4 + c];
      O += w * co[t * D4 + c];
    }
    let at = qRowOf(row);
    let none = empty || L == 0.0;
    o[qAt(at.b, at.i, at.hh) / 4u + c] = select(O / L, vec4<f32>(0.0), none);
    if (tid == 0u) {
      lse[row] = select(M + log(L), posInf(), none);
    }
  }
}
