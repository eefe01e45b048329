// Q for attention/flashAttentionFast.wgsl read from storage by every use (the TC lanes of a row group
// read the same vec4, so one load of a subgroup touches SG / TC rows; the L1 cache serves the repeats),
// with scale·log2 e applied to S instead of Q: no Qs in workgroup memory. Rows past sq read the last row
// (in bounds; their results are never written). Twin of flashAttentionFastQShared.wgsl.

fn loadQ(tid: u32, at: At) {}

fn qRow(at: At, i: u32) -> u32 {
  return qAt(at.b, at.r0 + min(at.rg + NRG * i, at.rows - 1u), at.hh) / 4u;
}

fn qGet(r: u32, c4: u32) -> vec4<f32> {
  return q[r + c4];
}

// The scores scale S instead.
const Q_STORAGE: bool = true;
