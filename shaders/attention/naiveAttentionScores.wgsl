// Naive attention, kernel 1 of 3: S = scale·Q Kᵀ for one slice, masked entries written as −inf.
// A slice is one (batch p.bi, head p.hh) and the query rows [p.i0, p.i0 + p.rows); S holds (rows, sk).
// One invocation per entry of S on TS×TS workgroup tiles, ceil(sk/TS)·ceil(rows/TS) of them in a linear
// order (sk tiles fastest) on a grid folded past 65,535 (common/grid.wgsl); q and k rows are read
// straight from storage (each q row sk times, each k row once per query row); S is written once.

@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read_write> S: array<f32>;  // (rows, sk)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

override TS: u32 = 16u;

@compute @workgroup_size(TS, TS)
fn main(
  group: Workgroups,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let tilesX = (p.sk + TS - 1u) / TS;
  let wg = linear(group);
  if (wg >= tilesX * ((p.rows + TS - 1u) / TS)) { return; }
  let tx = wg % tilesX;
  let ty = wg / tilesX;
  if (tid == 0u) {
    let cols = min(TS, p.sk - tx * TS);
    let rows = min(TS, p.rows - ty * TS);
    traceEvent(TRACE_WRITE, wg, T_S, ty * TS * p.sk + tx * TS, rows * cols, rows * cols * 4u, 0u);
  }
  let j = tx * TS + lid.x;
  let r = ty * TS + lid.y;
  if (j >= p.sk || r >= p.rows) {
    return;
  }
  let i = p.i0 + r;
  var s = -posInf();
  if (visible(i, j)) {
    let qo = qAt(p.bi, i, p.hh);
    let ko = kvAt(p.bi, j, kvHead(p.hh));
    var dot = 0.0;
    for (var c = 0u; c < p.d; c++) {
      dot += q[qo + c] * k[ko + c];
    }
    s = p.scale * dot;
  }
  S[r * p.sk + j] = s;
}
