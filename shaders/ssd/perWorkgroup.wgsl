// What the SSD phase kernels and the recurrence give common/perWorkgroup.wgsl's entry. Each kernel defines WG
// (a prelude constant or an override) and `fn phase(lin: u32, wg: u32, lid: u32)` (its phase, or the whole
// recurrence), and binds `prm: SsdParams`. `wg` is the id trace records carry: lin + prm.wg0, unique over
// the four phases.

fn workgroupCount() -> u32 { return prm.count; }

fn workgroupMain(lin: u32, lid: u32) {
  phase(lin, prm.wg0 + lin, lid);
}
