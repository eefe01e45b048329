// Shared by every linear-attention kernel (functions and structs only): the one uniform struct the family
// binds as `p`, and where a workgroup sits in a folded grid. Each kernel declares
// `@group(0) @binding(0) var<uniform> p: LaParams;` and lists common/grid.wgsl before this file.
// Work is laid out per head: the B·H heads each own `perHead` workgroups (value tiles, chunks, row tiles),
// linear id lin = (b·H + h)·perHead + x, folded into (x, y, z) by engine/gpu/grid.ts past 65,535.

struct LaParams {
  B: u32,
  T: u32,
  H: u32,
  K: u32,
  V: u32,
  scale: f32,  // s (recurrent, stepper, quadratic)
  C: u32,  // segment length: the chunk (chunked), or T (parallel)
  NC: u32,  // segments per sequence
  nVT: u32,  // value tiles per chunk (chunk states)
  tiles: u32,  // row tiles per segment (quadratic)
  headMajor: u32,  // (B, H, T, ·) layout, RetNet's (b, h, t, d)
  hasS0: u32,  // an initial state is bound
  t: u32,  // the step (stepper)
  perHead: u32,  // workgroups per (b, h)
  count: u32,  // linear ids that do work (workgroups; invocations for gateCumsum); the fold's spare return
}

/** The workgroups that do work, for the kernels entered through common/perWorkgroup.wgsl. */
fn workgroupCount() -> u32 { return p.count; }

/** A workgroup's place: its linear id (also its trace id), its head (b, h) and its index x within the head. */
struct LaTile {
  lin: u32,
  x: u32,
  bh: u32,
  b: u32,
  h: u32,
}

/** The tile of linear workgroup lin (common/grid.wgsl's linear(g)). */
fn laTile(lin: u32) -> LaTile {
  let bh = lin / p.perHead;
  return LaTile(lin, lin % p.perHead, bh, bh / p.H, bh % p.H);
}

/**
 * A row tile of the quadratic kernels: rows [r0, r1) (nr of them) of segment n, whose p.C rows start at c0;
 * tile x % p.tiles of `br` rows in segment x / p.tiles. live: inside T and its segment, not the fold's spare.
 */
struct RowTile {
  n: u32,
  c0: u32,
  r0: u32,
  r1: u32,
  nr: u32,
  live: bool,
}

fn rowTile(t: LaTile, br: u32) -> RowTile {
  let n = t.x / p.tiles;
  let c0 = n * p.C;
  let r0 = c0 + (t.x % p.tiles) * br;
  let live = t.lin < p.count && r0 < p.T && r0 < c0 + p.C;
  let r1 = min(min(r0 + br, c0 + p.C), p.T);
  return RowTile(n, c0, r0, r1, select(0u, r1 - r0, live), live);
}

/** The row of step t of head (b, h) in a (B, T, H, ·) tensor, or (B, H, T, ·) when p.headMajor. */
fn laRow(b: u32, h: u32, t: u32) -> u32 {
  if (p.headMajor != 0u) {
    return (b * p.H + h) * p.T + t;
  }
  return (b * p.T + t) * p.H + h;
}
