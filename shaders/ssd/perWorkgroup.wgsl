// The entry point of the SSD phase kernels and the recurrence: one linear workgroup id over a grid that
// engine/gpu/grid.ts may have folded into (x, y, z); the overshoot returns at once, the whole workgroup
// together (so the barriers in `phase` stay uniform). Each kernel defines WG (a prelude constant or an
// override) and `fn phase(lin: u32, wg: u32, lid: u32)` (its phase, or the whole recurrence), and binds
// `prm: SsdParams`. `wg` is the id trace records carry: lin + prm.wg0, unique over the four phases.

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let lin = linear(g);
  if (lin >= prm.count) {
    return;
  }
  phase(lin, prm.wg0 + lin, lid);
}
