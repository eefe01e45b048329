// Dense discretization of (A, B, Δ) in ONE workgroup: the matrices are small (N <= a few hundred) and
// every step needs all of the previous one, so the workgroup walks the algorithm with barriers.
// The (N+1)^2 working matrices live in a storage scratch buffer (three of them exceed 16 KiB of workgroup
// memory at N = 64); workgroup memory holds only the norm reduction and the pivot. A and B are read
// once, Ā and B̄ are written once; the O(N^3) work is spread over the WG invocations.
//   zoh:      Ā, B̄ from e^M, M = Δ·[[A, B], [0, 0]] ((N+1)x(N+1)): scaling to ||M/2^s||_1 <= 2, a
//             degree-16 Taylor polynomial by Horner (truncation < 4e-10), then s squarings.
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

// A power of two, at most 256 (the reduction below halves it).
override WG: u32 = 256u;
const TAYLOR_DEGREE: u32 = 16u;

var<workgroup> red: array<f32, 256>;
var<workgroup> shared_f: f32;
var<workgroup> shared_u: u32;

// work[dst] = work[x] · work[y] + diag (each m x m), then a barrier.
fn matmulScratch(dst: u32, x: u32, y: u32, m: u32, scale: f32, diag: f32, lid: u32) {
  for (var i = lid; i < m * m; i += WG) {
    let r = i / m;
    let c = i % m;
    var s = 0.0;
    for (var k = 0u; k < m; k++) {
      s += work[x + r * m + k] * work[y + k * m + c];
    }
    work[dst + i] = s * scale + select(0.0, diag, r == c);
  }
  storageBarrier();
}

@compute @workgroup_size(WG)
fn zoh(@builtin(local_invocation_index) lid: u32) {
  let N = p.N;
  let m = N + 1u;
  let mm = m * m;
  let X = 0u;
  // M = Δ [[A, B], [0, 0]] and its column sums.
  for (var i = lid; i < mm; i += WG) {
    let r = i / m;
    let c = i % m;
    var v = 0.0;
    if (r < N && c < N) {
      v = p.dt * A[r * N + c];
    } else if (r < N) {
      v = p.dt * B[r];
    }
    work[X + i] = v;
  }
  storageBarrier();
  var colMax = 0.0;
  for (var c = lid; c < m; c += WG) {
    var s = 0.0;
    for (var r = 0u; r < m; r++) {
      s += abs(work[X + r * m + c]);
    }
    colMax = max(colMax, s);
  }
  red[lid] = colMax;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      red[lid] = max(red[lid], red[lid + stride]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    shared_f = red[0];
  }
  let nrm = workgroupUniformLoad(&shared_f);
  if (!(nrm <= 3.0e38)) {
    if (lid == 0u) {
      status[0] = 2u;
    }
    return;
  }
  var s = 0u;
  var scaled = nrm;
  while (scaled > 2.0 && s < 120u) {
    scaled *= 0.5;
    s++;
  }
  let inv = exp2(-f32(s));
  // Horner: T = I + X/q, then T = I + X T / k for k = q-1 .. 1, ping-ponging between two buffers.
  for (var i = lid; i < mm; i += WG) {
    let x = work[X + i] * inv;
    work[X + i] = x;
    work[mm + i] = x / f32(TAYLOR_DEGREE) + select(0.0, 1.0, i / m == i % m);
  }
  storageBarrier();
  var cur = mm;
  var nxt = 2u * mm;
  for (var k = TAYLOR_DEGREE - 1u; k >= 1u; k--) {
    matmulScratch(nxt, X, cur, m, 1.0 / f32(k), 1.0, lid);
    let t = cur;
    cur = nxt;
    nxt = t;
  }
  for (var q = 0u; q < s; q++) {
    matmulScratch(nxt, cur, cur, m, 1.0, 0.0, lid);
    let t = cur;
    cur = nxt;
    nxt = t;
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
  let fac = N * w; // (N,) column factors of the current elimination step
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
  for (var c = 0u; c < N; c++) {
    if (lid == 0u) {
      var best = c;
      for (var r = c + 1u; r < N; r++) {
        if (abs(work[r * w + c]) > abs(work[best * w + c])) {
          best = r;
        }
      }
      shared_u = best;
      shared_f = work[best * w + c];
    }
    let piv = workgroupUniformLoad(&shared_u);
    let pv = workgroupUniformLoad(&shared_f);
    if (pv == 0.0 || !(abs(pv) <= 3.0e38)) {
      if (lid == 0u) {
        status[0] = 1u;
      }
      return;
    }
    if (piv != c) {
      for (var j = lid; j < w; j += WG) {
        let t = work[c * w + j];
        work[c * w + j] = work[piv * w + j];
        work[piv * w + j] = t;
      }
      storageBarrier();
    }
    for (var j = lid; j < w; j += WG) {
      work[c * w + j] /= pv;
    }
    storageBarrier();
    for (var r = lid; r < N; r += WG) {
      work[fac + r] = work[r * w + c];
    }
    storageBarrier();
    let cols = w - c;
    for (var i = lid; i < N * cols; i += WG) {
      let r = i / cols;
      let j = c + i % cols;
      if (r != c) {
        work[r * w + j] -= work[fac + r] * work[c * w + j];
      }
    }
    storageBarrier();
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
