// HiPPO-LegS online: the transitions Ā_k (N,N), B̄_k (N,) of `count` steps, ONE workgroup per step (the
// steps are independent: step k only needs k), over a folded grid. Workgroup w makes step
// k = k0 + first + w + 1 (1-based) into slot first + w of Abar/Bbar, on its own region of the scratch
// buffer (w·S floats on, S = the algorithm's scratch), with s4/denseDisc.wgsl's algorithms:
//   bilinear: Gauss-Jordan on [I − At/2 | I + At/2 | Bt] (N, 2N+1), At = A/k, Bt = B/k.
//   backward: Gauss-Jordan on [I − At | I | Bt].
//   forward:  I + At and Bt, written directly (no scratch).
//   zoh:      Ā_k = e^{Aτ}, B̄_k = A⁻¹(Ā_k − I)B, both from e^M, M = τ·[[A, B], [0, 0]], τ = log((k+1)/k)
//             (the top-right column of e^M is ∫₀^τ e^{As} ds·B = A⁻¹(e^{Aτ} − I)B).
// Traffic per workgroup: A (N²) and B (N) read once, Ā_k and B̄_k written once; the O(N³) work runs on
// the scratch region, which stays in L1/L2 at the sizes HiPPO uses. status[0] is raised (atomicMax) to 1
// when a system is singular and to 2 when M has non-finite entries.
// Needs common/trace.wgsl, common/grid.wgsl and s4/denseDisc.wgsl before it.

struct Params {
  N: u32,
  k0: u32, // step (0-based) of slot 0
  first: u32, // slot of workgroup 0
  count: u32, // workgroups (steps) in this dispatch
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>; // (N, N) HiPPO-LegS
@group(0) @binding(2) var<storage, read> B: array<f32>; // (N,)
@group(0) @binding(3) var<storage, read_write> work: array<f32>; // (count, S)
@group(0) @binding(4) var<storage, read_write> Abar: array<f32>; // (slots, N, N)
@group(0) @binding(5) var<storage, read_write> Bbar: array<f32>; // (slots, N)
@group(0) @binding(6) var<storage, read_write> status: array<atomic<u32>>; // (1,)
@group(0) @binding(7) var<storage, read_write> trace: TraceBuf;

// A power of two, at most 256 (denseDisc.wgsl's reduction halves it).
override WG: u32 = 256u;
// 0 bilinear, 1 forward, 2 backward, 3 zoh (ONLINE_DISCS' order): one pipeline per discretization.
override DISC: u32 = 0u;

/** log(1 + 1/k) = 2·atanh(1/(2k+1)) by its odd series (u <= 1/3: 12 terms reach f32 precision). */
fn logStep(k: u32) -> f32 {
  let u = 1.0 / f32(2u * k + 1u);
  let u2 = u * u;
  var term = u;
  var s = 0.0;
  for (var j = 0u; j < 12u; j++) {
    s += term / f32(2u * j + 1u);
    term *= u2;
  }
  return 2.0 * s;
}

/** Records the step's reads of A, B and its writes of Ā_k, B̄_k. */
fn traceStep(wg: u32, slot: u32, lid: u32) {
  if (lid == 0u) {
    let N = p.N;
    traceEvent(TRACE_LOAD, wg, T_A, 0u, N * N, 4u * N * N, slot);
    traceEvent(TRACE_LOAD, wg, T_B, 0u, N, 4u * N, slot);
    traceEvent(TRACE_STORE, wg, T_ABAR, slot * N * N, N * N, 4u * N * N, slot);
    traceEvent(TRACE_STORE, wg, T_BBAR, slot * N, N, 4u * N, slot);
  }
}

/** Raises status[0] to `code` (1 singular, 2 non-finite). */
fn flag(code: u32, lid: u32) {
  if (lid == 0u) {
    atomicMax(&status[0], code);
  }
}

/** Ā_k, B̄_k of workgroup w from the N x (N+1) block [Ā_k | B̄_k] at work[src..], rows `stride` apart. */
fn storeTransition(w: u32, src: u32, stride: u32, lid: u32) {
  let N = p.N;
  let slot = p.first + w;
  for (var i = lid; i < N * (N + 1u); i += WG) {
    let r = i / (N + 1u);
    let c = i % (N + 1u);
    if (c < N) {
      Abar[slot * N * N + r * N + c] = work[src + r * stride + c];
    } else {
      Bbar[slot * N + r] = work[src + r * stride + N];
    }
  }
  traceStep(w, slot, lid);
}

/** Step k (1-based) of the dispatch's workgroup w. */
fn stepOf(w: u32) -> u32 {
  return p.k0 + p.first + w + 1u;
}

/** [I − α·At | I + β·At | Bt] by Gauss-Jordan, for workgroup w: bilinear α = β = 1/2, backward α = 1, β = 0. */
fn solveStep(w: u32, lid: u32, alpha: f32, beta: f32) {
  let N = p.N;
  let kf = f32(stepOf(w));
  let cols = 2u * N + 1u;
  let base = w * (N * cols + N);
  for (var i = lid; i < N * cols; i += WG) {
    let r = i / cols;
    let c = i % cols;
    var v = 0.0;
    if (c < N) {
      v = select(0.0, 1.0, r == c) - alpha * (A[r * N + c] / kf);
    } else if (c < 2u * N) {
      v = select(0.0, 1.0, r == c - N) + beta * (A[r * N + c - N] / kf);
    } else {
      v = B[r] / kf;
    }
    work[base + i] = v;
  }
  storageBarrier();
  if (!gaussJordan(base, N, cols, lid)) {
    flag(1u, lid);
    return;
  }
  storeTransition(w, base + N, cols, lid);
}

/** I + At and Bt, written directly. */
fn forwardStep(w: u32, lid: u32) {
  let N = p.N;
  let slot = p.first + w;
  let kf = f32(stepOf(w));
  for (var i = lid; i < N * N; i += WG) {
    Abar[slot * N * N + i] = select(0.0, 1.0, i / N == i % N) + A[i] / kf;
  }
  for (var n = lid; n < N; n += WG) {
    Bbar[slot * N + n] = B[n] / kf;
  }
  traceStep(w, slot, lid);
}

/** e^M, M = τ·[[A, B], [0, 0]], for workgroup w. */
fn zohStep(w: u32, lid: u32) {
  let N = p.N;
  let m = N + 1u;
  let tau = logStep(stepOf(w));
  let base = w * 3u * m * m;
  for (var i = lid; i < m * m; i += WG) {
    let r = i / m;
    let c = i % m;
    var v = 0.0;
    if (r < N && c < N) {
      v = tau * A[r * N + c];
    } else if (r < N) {
      v = tau * B[r];
    }
    work[base + i] = v;
  }
  storageBarrier();
  let cur = expmScratch(base, m, lid);
  if (cur == EXPM_NOT_FINITE) {
    flag(2u, lid);
    return;
  }
  storeTransition(w, cur, m, lid);
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let w = linear(g);
  if (w >= p.count) {
    return;
  }
  switch (DISC) {
    case 0u: {
      solveStep(w, lid, 0.5, 0.5);
    }
    case 1u: {
      forwardStep(w, lid);
    }
    case 2u: {
      solveStep(w, lid, 1.0, 0.0);
    }
    default: {
      zohStep(w, lid);
    }
  }
}
