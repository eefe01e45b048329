// The fused scan's memory traffic with none of its arithmetic (bench/scanMicro.ts): out = u + δ·z over
// (D, L) rows, each row read in tiles of T steps walked down L as the tile kernel walks them
// (shaders/mamba/selectiveScanTile.wgsl: 16K lanes at D = 4096, LPR = 4 lanes a row, TV = T/16 vec4s of
// each tensor a lane a tile; more lanes a row where LPR says), the next tile's loads in flight while this one is stored where PREF = 1 (PREF = 0: each tile loaded where it is used). What the
// access pattern alone costs against the copy kernel's contiguous one. TV comes in the prelude.

struct Params {
  D: u32,
  L: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4<f32>>;  // u | δ | z, each (D, L)
@group(0) @binding(2) var<storage, read_write> dst: array<vec4<f32>>;  // (D, L)

override WG: u32 = 64u;
override PREF: u32 = 1u;
/** Lanes a row: lane q of a row holds vec4s q, q + LPR, … of each tile (T = 4·LPR·TV steps). */
override LPR: u32 = 4u;

fn tileLoads(at: u32, u: ptr<function, array<vec4<f32>, TV>>, dl: ptr<function, array<vec4<f32>, TV>>,
             z: ptr<function, array<vec4<f32>, TV>>) {
  let plane = p.D * p.L / 4u;
  for (var j = 0u; j < TV; j++) {
    (*u)[j] = src[at + LPR * j];
    (*dl)[j] = src[plane + at + LPR * j];
    (*z)[j] = src[2u * plane + at + LPR * j];
  }
}

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) li: u32) {
  let lane = linear(g) * WG + li;
  let row = lane / LPR;
  if (row >= p.D) {
    return;
  }
  let q = lane % LPR;
  let rowAt = row * p.L / 4u + q;
  var u: array<vec4<f32>, TV>;
  var dl: array<vec4<f32>, TV>;
  var z: array<vec4<f32>, TV>;
  if (PREF != 0u) {
    tileLoads(rowAt, &u, &dl, &z);
  }
  for (var t4 = 0u; t4 < p.L / 4u; t4 += LPR * TV) {
    if (PREF == 0u) {
      tileLoads(rowAt + t4, &u, &dl, &z);
    }
    let cu = u;
    let cd = dl;
    let cz = z;
    if (PREF != 0u && t4 + LPR * TV < p.L / 4u) {
      tileLoads(rowAt + t4 + LPR * TV, &u, &dl, &z);
    }
    for (var j = 0u; j < TV; j++) {
      dst[rowAt + t4 + LPR * j] = cu[j] + cd[j] * cz[j];
    }
  }
}
