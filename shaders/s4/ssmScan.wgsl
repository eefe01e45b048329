// The recurrent view of a dense SSM: x_k = Ā x_{k-1} + B̄ u_k, y_k = C x_k + D u_k, sequential over k in
// ONE workgroup (the recurrence has no parallelism across k; across n it has N-way parallelism).
// Each row n of the matvec is split over R invocations (R = RSPLIT, WG = R · rows per pass), so a step costs
// about N/R serial multiply-adds plus two barriers. The first A_ROWS rows of Ā (N, N) are loaded once into
// workgroup memory (row stride NS = N or N+1, odd, so the R·(32/R) lanes of a warp hit distinct banks): all
// rows when they fit beside the state (N <= 61 with 16 KiB), else as many as fit; the remaining rows stream
// from storage every step (L1/L2 resident). The state x ping-pongs between two halves of workgroup memory.
// y_{k-1} = C·x_{k-1} is formed in step k by R invocations beside the matvec, the last y after the loop.
// u_k and B̄, C are read from storage; y, the optional states (L, N) and the final state are written once.
// k0 and steps let a caller run a window of steps on a persistent state buffer (the stepper runs one step
// per dispatch). With IMPULSE, u = δ and y_l = C Ā^l B̄ (the Krylov kernel).
// Needs a prelude: const RSPLIT: u32 (R), const A_ROWS: u32, const NS: u32 (row stride of Ā in workgroup
// memory), const NA: u32 (max(1, A_ROWS·NS)), const NX: u32 (N).

struct Params {
  N: u32,
  L: u32,
  k0: u32,
  steps: u32,
  hasX0: u32,
  writeStates: u32,
  impulse: u32,
  D: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> Abar: array<f32>; // (N, N)
@group(0) @binding(2) var<storage, read> Bbar: array<f32>; // (N,)
@group(0) @binding(3) var<storage, read> C: array<f32>; // (N,)
@group(0) @binding(4) var<storage, read> u: array<f32>; // (L,)
@group(0) @binding(5) var<storage, read_write> x: array<f32>; // (N,) x_{k0-1} in (if hasX0), last state out
@group(0) @binding(6) var<storage, read_write> y: array<f32>; // (L,)
@group(0) @binding(7) var<storage, read_write> states: array<f32>; // (L, N) when writeStates
@group(0) @binding(8) var<storage, read_write> trace: TraceBuf;

override WG: u32 = 64u;

var<workgroup> As: array<f32, NA>; // (A_ROWS, NS)
var<workgroup> xs: array<f32, 2 * NX>; // (2, N) ping-pong
var<workgroup> part: array<f32, NX * RSPLIT>; // (N, R) partial row sums
var<workgroup> ypart: array<f32, RSPLIT>; // (R,) partial C·x

fn abar(n: u32, j: u32, N: u32) -> f32 {
  if (n < A_ROWS) {
    return As[n * NS + j];
  }
  return Abar[n * N + j];
}

fn inputAt(k: u32) -> f32 {
  if (p.impulse == 1u) {
    return select(0.0, 1.0, k == 0u);
  }
  return u[k];
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let N = p.N;
  let R = RSPLIT;
  let G = WG / R; // rows per pass
  let r = lid % R;
  let rowsWg = min(A_ROWS, N);
  for (var i = lid; i < rowsWg * N; i += WG) {
    As[(i / N) * NS + i % N] = Abar[i];
  }
  for (var n = lid; n < N; n += WG) {
    xs[n] = select(0.0, x[n], p.hasX0 == 1u);
  }
  if (lid == 0u) {
    traceEvent(TRACE_LOAD, 0u, T_ABAR, 0u, rowsWg * N, 4u * rowsWg * N, 0u);
    traceEvent(TRACE_READ, 0u, T_ABAR, rowsWg * N, (N - rowsWg) * N, 4u * (N - rowsWg) * N, p.steps);
    traceEvent(TRACE_LOAD, 0u, T_X, 0u, N, 4u * N, p.hasX0);
  }
  workgroupBarrier();
  let end = min(p.k0 + p.steps, p.L);
  var cur = 0u;
  for (var k = p.k0; k < end; k++) {
    let uk = inputAt(k);
    let nxt = 1u - cur;
    for (var n = lid / R; n < N; n += G) {
      var acc = 0.0;
      for (var j = r; j < N; j += R) {
        acc += abar(n, j, N) * xs[cur * NX + j];
      }
      part[n * R + r] = acc;
    }
    if (lid < R && k > p.k0) {
      var acc = 0.0;
      for (var j = lid; j < N; j += R) {
        acc += C[j] * xs[cur * NX + j];
      }
      ypart[lid] = acc;
    }
    workgroupBarrier();
    for (var n = lid; n < N; n += WG) {
      var t = Bbar[n] * uk;
      for (var q = 0u; q < R; q++) {
        t += part[n * R + q];
      }
      xs[nxt * NX + n] = t;
      if (p.writeStates == 1u) {
        states[k * N + n] = t;
      }
    }
    if (lid == 0u && k > p.k0) {
      var s = p.D * inputAt(k - 1u);
      for (var q = 0u; q < R; q++) {
        s += ypart[q];
      }
      y[k - 1u] = s;
    }
    workgroupBarrier();
    cur = nxt;
  }
  for (var n = lid; n < N; n += WG) {
    x[n] = xs[cur * NX + n];
  }
  if (lid == 0u && end > p.k0) {
    var s = p.D * inputAt(end - 1u);
    for (var j = 0u; j < N; j++) {
      s += C[j] * xs[cur * NX + j];
    }
    y[end - 1u] = s;
  }
  if (lid == 0u) {
    let count = end - min(p.k0, end);
    traceEvent(TRACE_WRITE, 0u, T_Y, p.k0, count, 4u * count, 0u);
    traceEvent(TRACE_WRITE, 0u, T_STATES, p.k0 * N, count * N * p.writeStates, 4u * count * N * p.writeStates, 0u);
    traceEvent(TRACE_STORE, 0u, T_X, 0u, N, 4u * N, 0u);
  }
}
