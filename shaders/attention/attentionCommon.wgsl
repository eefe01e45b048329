// The attention family's shared declarations: the one uniform struct every attention kernel reads (bound
// at 0 as p, filled by field name from engine/programs/attention/common.ts), −inf as a finite sentinel,
// the index helpers for the layouts q, o (b, sq, h, d), k, v (b, sk, h_k, d) and lse (b, h, sq), GQA's kv
// head, and the bottom-right causal mask. Declarations and functions only. The trace constants (T_*,
// PHASE_*) are generated from ATTENTION_TRACE and prepended by kernel(). Entry points take
// common/grid.wgsl's Workgroups (their linear id on the folded grid) and their local index apart.

struct AttentionParams {
  b: u32,
  sq: u32,
  sk: u32,
  h: u32,
  hk: u32,
  d: u32,
  causal: u32,
  scale: f32,
  infBits: u32,  // 0x7f800000: +inf's bits (the lse of a row with no visible key)
  count: u32,  // workgroups wanted on the folded grid; linear ids at or past it return at once
  tr: u32,  // FlashAttention: Q tiles per (batch, head)
  bi: u32,  // naive slice, stepper: batch
  hh: u32,  // naive slice, stepper: query head
  i0: u32,  // naive slice: first query row; stepper: first row of the Q tile
  rows: u32,  // naive slice: query rows
  t: u32,  // stepper: K/V tile of this step
  first: u32,  // stepper: 1 on the first step (start from m = −inf, l = 0, O = 0)
  splits: u32,  // FlashDecoding: KV splits
  splitLen: u32,  // FlashDecoding: keys per split, ceil(sk / splits)
  wg0: u32,  // backward: first trace workgroup id of this dispatch (passes of one chain stay apart)
}

@group(0) @binding(0) var<uniform> p: AttentionParams;

const NEG: f32 = -3.0e38;  // −inf inside the arithmetic, so no infinity enters it
const NEG_HALF: f32 = -1.5e38;  // below this, a value is −inf

fn posInf() -> f32 {
  return bitcast<f32>(p.infBits);
}

fn qAt(b: u32, i: u32, hh: u32) -> u32 {
  return ((b * p.sq + i) * p.h + hh) * p.d;
}

fn kvAt(b: u32, j: u32, kh: u32) -> u32 {
  return ((b * p.sk + j) * p.hk + kh) * p.d;
}

fn lseAt(b: u32, hh: u32, i: u32) -> u32 {
  return (b * p.h + hh) * p.sq + i;
}

fn kvHead(hh: u32) -> u32 {
  return hh / (p.h / p.hk);
}

// Bottom-right causal alignment: key j visible to query i iff j ≤ i + sk − sq.
fn visible(i: u32, j: u32) -> bool {
  return p.causal == 0u || j + p.sq <= i + p.sk;
}

// Key tiles of `bc` keys a causal query block [r0, r0 + rows) must visit (tiles entirely above the
// diagonal are skipped): all ceil(sk / bc) without a mask.
fn keyTilesFor(r0: u32, rows: u32, bc: u32) -> u32 {
  let tc = (p.sk + bc - 1u) / bc;
  if (p.causal == 0u) {
    return tc;
  }
  let reach = i32(r0 + rows - 1u) + i32(p.sk) - i32(p.sq);
  if (reach < 0) {
    return 0u;
  }
  return min(tc, u32(reach) / bc + 1u);
}

// The first query tile of `br` rows a causal key tile starting at j0 must visit:
// floor(max(0, j0 + sq − sk) / br) (engine/reference/attentionBackward.ts firstQueryTile); 0 without a mask.
fn firstQueryTile(j0: u32, br: u32) -> u32 {
  if (p.causal == 0u) {
    return 0u;
  }
  return u32(max(0, i32(j0) + i32(p.sq) - i32(p.sk))) / br;
}

// A query row's place, from its linear index row = (b·h + hh)·sq + i.
struct QRow {
  b: u32,
  hh: u32,
  i: u32,
}

fn qRowOf(row: u32) -> QRow {
  return QRow(row / (p.sq * p.h), (row / p.sq) % p.h, row % p.sq);
}

// A Flash-Decoding split workgroup that serves the G query heads of one KV head: linear id
// wid = ((b·h_k + kh)·sq + i)·splits + s, and split s's keys [start, end) (empty past sk).
struct KvSplit {
  s: u32,
  grp: u32,  // (b·h_k + kh)·sq + i
  i: u32,
  kh: u32,
  b: u32,
  start: u32,
  end: u32,
}

fn kvSplitOf(wid: u32) -> KvSplit {
  let grp = wid / p.splits;
  let start = min(p.sk, (wid % p.splits) * p.splitLen);
  let end = min(p.sk, start + p.splitLen);
  return KvSplit(wid % p.splits, grp, grp % p.sq, (grp / p.sq) % p.hk, grp / (p.sq * p.hk), start, end);
}
