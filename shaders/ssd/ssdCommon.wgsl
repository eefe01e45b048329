// Sizes and index helpers shared by the SSD kernels. No bindings: each kernel declares
// `@group(0) @binding(0) var<uniform> prm: SsdParams;`, which these helpers read.
// Layouts (row-major): X, Y (batch, T, H, P); A and Acum (batch, T, H); B, C (batch, T, G, N), head hh uses group
// hh / (H / G); chunk states (nC, batch, H, P, N); passed states (nC + 1, batch, H, P, N).
// The trace tensor ids (T_X, …) and phase ids (PHASE_*) are generated from SSD_TRACE
// (engine/programs/ssd/common.ts) and prepended by kernel().

struct SsdParams {
  batch: u32,
  T: u32,
  H: u32,
  P: u32,
  N: u32,
  G: u32,
  Q: u32,  // chunk length
  nC: u32,  // ceil(T / Q)
  c0: u32,  // first chunk of this dispatch (the stepper runs one chunk at a time)
  c1: u32,  // one past the last chunk
  hasInit: u32,
  count: u32,  // workgroups of this dispatch (engine/gpu/grid.ts folds them into x, y, z)
  wg0: u32,  // the trace id of this dispatch's first workgroup: ids are unique over the four phases
}

// The tensor of a chunkPhase record, which names a phase, not a tensor (decoded as '').

fn xIdx(b: u32, t: u32, h: u32, p: u32) -> u32 {
  return ((b * prm.T + t) * prm.H + h) * prm.P + p;
}

fn aIdx(b: u32, t: u32, h: u32) -> u32 {
  return (b * prm.T + t) * prm.H + h;
}

fn groupOf(h: u32) -> u32 {
  return h / (prm.H / prm.G);
}

fn bcIdx(b: u32, t: u32, g: u32, n: u32) -> u32 {
  return ((b * prm.T + t) * prm.G + g) * prm.N + n;
}

// Offset of the (P, N) state of (b, h) in a states buffer, at chunk slot c.
fn stateIdx(c: u32, b: u32, h: u32) -> u32 {
  return ((c * prm.batch + b) * prm.H + h) * prm.P * prm.N;
}

// A linear id as three indices, the first fastest: (i % n0, i / n0 % n1, i / (n0·n1)).
fn unflatten(i: u32, n0: u32, n1: u32) -> vec3<u32> {
  return vec3<u32>(i % n0, (i / n0) % n1, i / (n0 * n1));
}

// Where a workgroup of phase 1 or 4 works: (batch·head fastest, so concurrent workgroups share the rows
// of X, B and C; then the pt-wide p-tile; then chunk c ≥ c0 and its tt-row t-tile).
struct RowTile {
  bi: u32,
  hh: u32,
  gi: u32,
  c: u32,
  i: u32,  // t-tile within the chunk
  cStart: u32,
  cEnd: u32,
  t0: u32,
  tRows: u32,  // rows of the t-tile (the last chunk may be short)
  p0: u32,
  pw: u32,  // columns of the p-tile
}

fn rowTile(wg: u32, tt: u32, pt: u32) -> RowTile {
  let tpc = (prm.Q + tt - 1u) / tt;
  let v = unflatten(wg, prm.batch * prm.H, (prm.P + pt - 1u) / pt);
  let hh = v.x % prm.H;
  let c = prm.c0 + v.z / tpc;
  let i = v.z % tpc;
  let cStart = c * prm.Q;
  let cEnd = min(cStart + prm.Q, prm.T);
  let t0 = cStart + i * tt;
  let p0 = v.y * pt;
  return RowTile(v.x / prm.H, hh, groupOf(hh), c, i, cStart, cEnd, t0, min(tt, cEnd - min(t0, cEnd)), p0, min(pt, prm.P - p0));
}
