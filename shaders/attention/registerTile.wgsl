// The register tile of the FlashAttention kernels (functions only): a (rows, d) tile of sums held in an
// array of OPT values per invocation, slot u of invocation tid holding element e = tid + u·WG, at row e / D
// and column e % D (D and OPT = ceil(rows·D / WG) from the prelude, WG the kernel's override). A slot whose
// row is past the tile holds nothing: the kernels skip it.

/** (row, column) of slot u of invocation tid. */
fn slot(tid: u32, u: u32) -> vec2<u32> {
  let e = tid + u * WG;
  return vec2<u32>(e / D, e % D);
}
