// What the two phases tiled by rowTile() (ssdDiag.wgsl, phase 1; ssdStateOutput.wgsl, phase 4) share: the
// workgroup's tile of TT rows of t by PT columns of p (heads fastest), an empty tile (past a short last
// chunk) returning at once, the whole workgroup together; the register tile, invocation lid owning column
// col = lid % PT and rows rg + k·RG of it (rg = lid / PT, k < RPT); and the (TT, NB) slices of C both stage.
// Each phase defines `fn tilePhase(at: RowTile, wg: u32, lid: u32, col: u32, rg: u32)` and binds C.
// Prelude constants: TT, PT, NB, WG (WG a multiple of PT; TT a multiple of WG / PT). Entry: perWorkgroup.wgsl.

const RG: u32 = WG / PT;  // row groups
const RPT: u32 = TT / RG;  // rows per invocation

fn phase(lin: u32, wg: u32, lid: u32) {
  let at = rowTile(lin, TT, PT);
  if (at.tRows == 0u) {
    return;
  }
  tilePhase(at, wg, lid, lid % PT, lid / PT);
}

/** Element e = r·NB + k of the (TT, NB) slice at n0 (nw wide) of C: C[t0 + r, n0 + k], 0 outside the tile. */
fn cSlice(at: RowTile, e: u32, n0: u32, nw: u32) -> f32 {
  let r = e / NB;
  let k = e % NB;
  if (r < at.tRows && k < nw) {
    return C[bcIdx(at.bi, at.t0 + r, at.gi, n0 + k)];
  }
  return 0.0;
}
