// The two dense discretization algorithms, on a region of a storage scratch buffer, walked by ONE
// workgroup with barriers (every step needs all of the previous one). Shared by discretizeDense.wgsl (one
// (A, B, Δ)) and hippoOnlineTransition.wgsl (one step's A/k, B/k per workgroup, each on its own region).
// Functions and workgroup scratch only: the including kernel declares `work: array<f32>` (storage,
// read_write) and the override WG (a power of two, at most 256: the norm reduction halves it). Call every
// function from uniform control flow with the whole workgroup; `base` is the region's first float.
//   expmScratch: e^X of the m x m matrix X at work[base..]: scaling to ||X/2^s||_1 <= 2, a degree-16 Taylor
//                polynomial by Horner (truncation < 4e-10), then s squarings. 3 m^2 floats of scratch.
//   gaussJordan: partial pivoting on the N x w system [M | R] at work[base..] (w >= N), reduced in place to
//                [I | M^-1 R]. N (N columns + the right side) + N floats (the column factors) of scratch.

const TAYLOR_DEGREE: u32 = 16u;
/** What expmScratch returns when X has non-finite entries. */
const EXPM_NOT_FINITE: u32 = 0xffffffffu;

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

/** e^X for X (m, m) at work[base..]; returns where the result lies (inside base..base + 3m^2). */
fn expmScratch(base: u32, m: u32, lid: u32) -> u32 {
  let mm = m * m;
  let X = base;
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
    return EXPM_NOT_FINITE;
  }
  var s = 0u;
  var scaled = nrm;
  while (scaled > 2.0 && s < 120u) {
    scaled *= 0.5;
    s++;
  }
  let inv = exp2(-f32(s));
  // Horner: T = I + X/q, then T = I + X T / k for k = q-1 .. 1, ping-ponging between two regions.
  for (var i = lid; i < mm; i += WG) {
    let x = work[X + i] * inv;
    work[X + i] = x;
    work[base + mm + i] = x / f32(TAYLOR_DEGREE) + select(0.0, 1.0, i / m == i % m);
  }
  storageBarrier();
  var cur = base + mm;
  var nxt = base + 2u * mm;
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
  return cur;
}

/** Reduces [M | R] (N, w) at work[base..] to [I | M^-1 R]; false when a pivot is 0 or not finite. */
fn gaussJordan(base: u32, N: u32, w: u32, lid: u32) -> bool {
  let fac = base + N * w; // (N,) column factors of the current elimination step
  for (var c = 0u; c < N; c++) {
    if (lid == 0u) {
      var best = c;
      for (var r = c + 1u; r < N; r++) {
        if (abs(work[base + r * w + c]) > abs(work[base + best * w + c])) {
          best = r;
        }
      }
      shared_u = best;
      shared_f = work[base + best * w + c];
    }
    let piv = workgroupUniformLoad(&shared_u);
    let pv = workgroupUniformLoad(&shared_f);
    if (pv == 0.0 || !(abs(pv) <= 3.0e38)) {
      return false;
    }
    let rowC = base + c * w;
    if (piv != c) {
      let rowP = base + piv * w;
      for (var j = lid; j < w; j += WG) {
        let t = work[rowC + j];
        work[rowC + j] = work[rowP + j];
        work[rowP + j] = t;
      }
      storageBarrier();
    }
    for (var j = lid; j < w; j += WG) {
      work[rowC + j] /= pv;
    }
    storageBarrier();
    for (var r = lid; r < N; r += WG) {
      work[fac + r] = work[base + r * w + c];
    }
    storageBarrier();
    let cols = w - c;
    for (var i = lid; i < N * cols; i += WG) {
      let r = i / cols;
      let j = c + i % cols;
      if (r != c) {
        work[base + r * w + j] -= work[fac + r] * work[rowC + j];
      }
    }
    storageBarrier();
  }
  return true;
}
