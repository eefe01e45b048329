// One radix-2 Stockham pass of a batched complex FFT (the core of the FFT convolution, fftConv.ts).
// Pass p (p = 1, 2, 4, ..., n/2) reads src and writes dst (ping-pong in storage, no bit reversal):
// invocation (row, i < n/2) takes a = src[i], b = src[i + n/2], twiddles b by w^{k n/(2p)} with k = i mod p,
// and writes a ± b to dst[2i − k] and dst[2i − k + p]. Each pass streams every row once in and once out
// (16 bytes per butterfly each way); twiddles come from a table computed in float64 on the host.
// No workgroup memory: every pass works from storage. Trace (TRACE on), per workgroup of a butterflies
// starting at butterfly t0 (over all rows): TRACE_READ spec (2a values, 16a bytes), TRACE_READ twiddles
// (a, 8a bytes), TRACE_SCAN_LEVEL on spec (count a, aux: the stage, log2 p for the forward transform and
// log2 n + log2 p for the inverse), TRACE_WRITE spec (2a values, 16a bytes).
// Needs common/math.wgsl, common/trace.wgsl, common/grid.wgsl, s4/fftConvParams.wgsl (the entry).

@group(0) @binding(2) var<storage, read> tw: array<vec2<f32>>; // (n/2,) e^{−2πi j/n}
@group(0) @binding(3) var<storage, read> src: array<vec2<f32>>; // (rows, n) complex
@group(0) @binding(4) var<storage, read_write> dst: array<vec2<f32>>; // (rows, n) complex

fn elements() -> u32 {
  return prm.rows * (prm.n / 2u);
}

fn traceGroup(wg: u32, t0: u32, a: u32) {
  let stage = countTrailingZeros(prm.p) + prm.inverse * countTrailingZeros(prm.n);
  traceEvent(TRACE_READ, wg, T_SPEC, t0, 2u * a, 16u * a, stage);
  traceEvent(TRACE_READ, wg, T_TWIDDLES, t0, a, 8u * a, stage);
  traceEvent(TRACE_SCAN_LEVEL, wg, T_SPEC, t0, a, 0u, stage);
  traceEvent(TRACE_WRITE, wg, T_SPEC, t0, 2u * a, 16u * a, stage);
}

fn element(t: u32) {
  let half = prm.n / 2u;
  let row = t / half;
  let i = t % half;
  let o = row * prm.n;
  let k = i & (prm.p - 1u);
  var w = tw[k * (half / prm.p)];
  if (prm.inverse == 1u) {
    w.y = -w.y;
  }
  let a = src[o + i];
  let b = cmul(src[o + i + half], w);
  let j = 2u * i - k;
  dst[o + j] = a + b;
  dst[o + j + prm.p] = a - b;
}
