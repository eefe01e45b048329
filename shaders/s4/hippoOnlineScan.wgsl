// HiPPO-LegS online: the time-varying recurrence c_k = Ā_k c_{k−1} + B̄_k f_k, sequential over k in ONE
// workgroup (step k needs c_{k−1}; across n it has N-way parallelism). Steps k0 .. k0+steps−1 read their
// transitions from slots 0 .. steps−1 of Abar/Bbar (made just before by hippoOnlineTransition.wgsl), so a
// caller may run the sequence in windows over a ring of transitions. Each row n of the matvec is split over
// R invocations (R = RSPLIT, WG = R · rows per pass): a step costs about N/R serial multiply-adds plus two
// barriers. Ā_k changes every step and is read once, straight from storage (N² floats a step, no reuse to
// stage); c ping-pongs between two halves of workgroup memory. c is read from storage at k0 > 0 (c_0 = 0)
// and written back after the window; coefficients[k] = c_{k+1} (0-based rows) are written once.

struct Params {
  N: u32,
  L: u32,
  k0: u32,
  steps: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> Abar: array<f32>; // (steps, N, N)
@group(0) @binding(2) var<storage, read> Bbar: array<f32>; // (steps, N)
@group(0) @binding(3) var<storage, read> f: array<f32>; // (L,)
@group(0) @binding(4) var<storage, read_write> c: array<f32>; // (N,) c_{k0} in (k0 > 0), c_{k0+steps} out
@group(0) @binding(5) var<storage, read_write> coefficients: array<f32>; // (L, N)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 256u;
override RSPLIT: u32 = 1u;
/** The largest N the dense S4 kernels take (common.ts MAX_DENSE_N); R·N <= 512 for every split. */
const NMAX: u32 = 512u;

var<workgroup> cs: array<f32, 2 * NMAX>; // (2, N) ping-pong
var<workgroup> part: array<f32, NMAX>; // (N, R) partial row sums

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let N = p.N;
  let R = RSPLIT;
  let r = lid % R;
  let rowsPerPass = WG / R;
  for (var n = lid; n < N; n += WG) {
    cs[n] = select(0.0, c[n], p.k0 > 0u);
  }
  workgroupBarrier();
  let steps = min(p.steps, p.L - min(p.k0, p.L));
  var cur = 0u;
  for (var s = 0u; s < steps; s++) {
    let k = p.k0 + s;
    let At = s * N * N;
    for (var n = lid / R; n < N; n += rowsPerPass) {
      var acc = 0.0;
      for (var j = r; j < N; j += R) {
        acc += Abar[At + n * N + j] * cs[cur * NMAX + j];
      }
      part[n * R + r] = acc;
    }
    workgroupBarrier();
    let fk = f[k];
    let nxt = 1u - cur;
    for (var n = lid; n < N; n += WG) {
      var t = Bbar[s * N + n] * fk;
      for (var q = 0u; q < R; q++) {
        t += part[n * R + q];
      }
      cs[nxt * NMAX + n] = t;
      coefficients[k * N + n] = t;
    }
    workgroupBarrier();
    cur = nxt;
  }
  for (var n = lid; n < N; n += WG) {
    c[n] = cs[cur * NMAX + n];
  }
  if (lid == 0u) {
    traceEvent(TRACE_LOAD, 0u, T_C, 0u, N, 4u * N * select(0u, 1u, p.k0 > 0u), p.k0);
    traceEvent(TRACE_READ, 0u, T_ABAR, 0u, steps * N * N, 4u * steps * N * N, steps);
    traceEvent(TRACE_READ, 0u, T_BBAR, 0u, steps * N, 4u * steps * N, steps);
    traceEvent(TRACE_READ, 0u, T_F, p.k0, steps, 4u * steps, steps);
    traceEvent(TRACE_WRITE, 0u, T_COEFFICIENTS, p.k0 * N, steps * N, 4u * steps * N, steps);
    traceEvent(TRACE_STORE, 0u, T_C, 0u, N, 4u * N, p.k0 + steps);
  }
}
