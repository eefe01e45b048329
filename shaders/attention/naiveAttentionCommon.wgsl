// Bindings-free pieces shared by the three naive attention kernels: the slice uniform and the mask.
// A slice is one (batch, head) and a block of query rows [i0, i0 + rows); S and P hold (rows, sk).

struct Slice {
  b: u32,
  sq: u32,
  sk: u32,
  h: u32,
  hk: u32,
  d: u32,
  causal: u32,
  scale: f32,
  inf: f32,
  bi: u32,  // batch of this slice
  hh: u32,  // query head of this slice
  i0: u32,  // first query row
  rows: u32,  // query rows in this slice
}

const T_Q: u32 = 0u;
const T_K: u32 = 1u;
const T_V: u32 = 2u;
const T_O: u32 = 3u;
const T_LSE: u32 = 4u;
const T_S: u32 = 6u;
const T_P: u32 = 7u;

// Bottom-right causal alignment: key j visible to query i iff j ≤ i + sk − sq.
fn naiveVisible(s: Slice, i: u32, j: u32) -> bool {
  return s.causal == 0u || j + s.sq <= i + s.sk;
}

fn kvHead(s: Slice) -> u32 {
  return s.hh / (s.h / s.hk);
}
