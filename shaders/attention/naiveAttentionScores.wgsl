// Naive attention, kernel 1 of 3: S = scale·Q Kᵀ for one slice, masked entries written as −inf.
// One invocation per entry of S on a TS×TS workgroup tile; q and k rows are read straight from
// storage (each q row sk times, each k row once per query row); S (rows, sk) is written once to storage.

@group(0) @binding(0) var<uniform> p: Slice;
@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read_write> S: array<f32>;  // (rows, sk)
@group(0) @binding(4) var<storage, read_write> trace: TraceBuf;

override TS: u32 = 16u;

@compute @workgroup_size(TS, TS)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let j = gid.x;
  let r = gid.y;
  if (tid == 0u) {
    let cols = min(TS, p.sk - wid.x * TS);
    let rows = min(TS, p.rows - wid.y * TS);
    traceEvent(TRACE_WRITE, wid.x + wid.y * nwg.x, T_S, wid.y * TS * p.sk + wid.x * TS, rows * cols, rows * cols * 4u, 0u);
  }
  if (j >= p.sk || r >= p.rows) {
    return;
  }
  let i = p.i0 + r;
  var s = -p.inf;
  if (naiveVisible(p, i, j)) {
    let qo = ((p.bi * p.sq + i) * p.h + p.hh) * p.d;
    let ko = ((p.bi * p.sk + j) * p.hk + kvHead(p)) * p.d;
    var dot = 0.0;
    for (var c = 0u; c < p.d; c++) {
      dot += q[qo + c] * k[ko + c];
    }
    s = p.scale * dot;
  }
  S[r * p.sk + j] = s;
}
