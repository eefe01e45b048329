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

/** A workgroup's place: its linear id (also its trace id), its head (b, h) and its index x within the head. */
struct LaTile {
  lin: u32,
  x: u32,
  bh: u32,
  b: u32,
  h: u32,
}

/** The workgroup builtins every kernel's entry point takes (both uniform; lid stays a parameter of its own). */
struct LaGroup {
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
}

fn laTile(g: LaGroup) -> LaTile {
  let lin = linearWorkgroup(g.wid, g.nwg);
  let bh = lin / p.perHead;
  return LaTile(lin, lin % p.perHead, bh, bh / p.H, bh % p.H);
}

/** The row of step t of head (b, h) in a (B, T, H, ·) tensor, or (B, H, T, ·) when p.headMajor. */
fn laRow(b: u32, h: u32, t: u32) -> u32 {
  if (p.headMajor != 0u) {
    return (b * p.H + h) * p.T + t;
  }
  return (b * p.T + t) * p.H + h;
}
