// Dense discretization of (A, B, Δ) in ONE workgroup: the matrices are small (N <= a few hundred) and
// every step needs all of the previous one, so the workgroup walks the algorithm with barriers.
// The (N+1)^2 working matrices live in a storage scratch buffer (three of them exceed 16 KiB of workgroup
// memory at N = 64); workgroup memory holds only the norm reduction and the pivot. A and B are read
// once, Ā and B̄ are written once; the O(N^3) work is spread over the WG invocations. The algorithms are
// s4/denseDisc.wgsl's (listed before this file), shared with the HiPPO-LegS online transitions:
//   zoh:      Ā, B̄ from e^M, M = Δ·[[A, B], [0, 0]] ((N+1)x(N+1)), by expmScratch.
//   bilinear: Gauss-Jordan with partial pivoting on [I − Δ/2·A | I + Δ/2·A | Δ·B] (N, 2N+1).
// status[0] is set to 1 when I − Δ/2·A is singular and to 2 when M has non-finite entries.

struct Params {
  N: u32,
  dt: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>; // (N, N)
@group(0) @binding(2) var<storage, read> B: array<f32>; // (N,)
@group(0) @binding(3) var<storage, read_write> work: array<f32>; // zoh: 3 (N+1)^2; bilinear: N (2N+1) + N
@group(0) @binding(4) var<storage, read_write> Abar: array<f32>; // (N, N)
@group(0) @binding(5) var<storage, read_write> Bbar: array<f32>; // (N,)
@group(0) @binding(6) var<storage, read_write> status: array<u32>; // (1,)

// A power of two, at most 256 (denseDisc.wgsl's reduction halves it).
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn zoh(@builtin(local_invocation_index) lid: u32) {
  let N = p.N;
  let m = N + 1u;
  // M = Δ [[A, B], [0, 0]].
  for (var i = lid; i < m * m; i += WG) {
    let r = i / m;
    let c = i % m;
    var v = 0.0;
    if (r < N && c < N) {
      v = p.dt * A[r * N + c];
    } else if (r < N) {
      v = p.dt * B[r];
    }
    work[i] = v;
  }
  storageBarrier();
  let cur = expmScratch(0u, m, lid);
  if (cur == EXPM_NOT_FINITE) {
    if (lid == 0u) {
      status[0] = 2u;
    }
    return;
  }
  for (var i = lid; i < N * m; i += WG) {
    let r = i / m;
    let c = i % m;
    if (c < N) {
      Abar[r * N + c] = work[cur + i];
    } else {
      Bbar[r] = work[cur + i];
    }
  }
}

@compute @workgroup_size(WG)
fn bilinear(@builtin(local_invocation_index) lid: u32) {
  let N = p.N;
  let w = 2u * N + 1u;
  let h = 0.5 * p.dt;
  for (var i = lid; i < N * w; i += WG) {
    let r = i / w;
    let c = i % w;
    var v = 0.0;
    if (c < N) {
      v = select(0.0, 1.0, r == c) - h * A[r * N + c];
    } else if (c < 2u * N) {
      v = select(0.0, 1.0, r == c - N) + h * A[r * N + c - N];
    } else {
      v = p.dt * B[r];
    }
    work[i] = v;
  }
  storageBarrier();
  if (!gaussJordan(0u, N, w, lid)) {
    if (lid == 0u) {
      status[0] = 1u;
    }
    return;
  }
  for (var i = lid; i < N * (N + 1u); i += WG) {
    let r = i / (N + 1u);
    let c = i % (N + 1u);
    if (c < N) {
      Abar[r * N + c] = work[r * w + N + c];
    } else {
      Bbar[r] = work[r * w + 2u * N];
    }
  }
}
