// The recurrent view of a diagonal complex SSM (S4D): x_k[n] = Ā_n x_{k-1}[n] + B̄_n u_k and
// y_k = scale · Σ_n C_n x_k[n], for rows = B·H sequences (channel h = row mod H). One workgroup per row;
// each invocation owns one mode and keeps its state in registers (modes beyond WG are done in further
// passes, adding into y). Every T steps the per-mode terms C_n x_k[n] sit in workgroup memory (T·WG·8 bytes)
// and T invocations sum them: two barriers per T steps. Ā, B̄, C are read once per mode, u once per pass,
// y (complex) written once per pass, the final state written once. Rows are counted over a grid folded by
// gridFor (common/grid.wgsl).

struct Params {
  N2: u32,
  L: u32,
  rows: u32,
  H: u32,
  hasX0: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> Abar: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(2) var<storage, read> Bbar: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(3) var<storage, read> C: array<vec2<f32>>; // (H, N2) complex
@group(0) @binding(4) var<storage, read> u: array<f32>; // (rows, L)
@group(0) @binding(5) var<storage, read_write> x: array<vec2<f32>>; // (rows, N2) complex: x0 in, final out
@group(0) @binding(6) var<storage, read_write> y: array<vec2<f32>>; // (rows, L) complex

const WG: u32 = 64u;
const T: u32 = 16u;

var<workgroup> part: array<vec2<f32>, 1024>; // (T, WG)

@compute @workgroup_size(WG)
fn main(g: Workgroups, @builtin(local_invocation_index) lid: u32) {
  let row = linear(g);
  if (row >= p.rows) {
    return;
  }
  let h = row % p.H;
  for (var nb = 0u; nb < p.N2; nb += WG) {
    let n = nb + lid;
    let live = n < p.N2;
    let m = h * p.N2 + min(n, p.N2 - 1u);
    let a = Abar[m];
    let b = Bbar[m];
    let c = select(vec2<f32>(0.0), C[m], live);
    var s = vec2<f32>(0.0);
    if (live && p.hasX0 == 1u) {
      s = x[row * p.N2 + n];
    }
    for (var k0 = 0u; k0 < p.L; k0 += T) {
      for (var t = 0u; t < T; t++) {
        let k = k0 + t;
        var term = vec2<f32>(0.0);
        if (k < p.L) {
          s = cmul(a, s) + b * u[row * p.L + k];
          term = cmul(c, s);
        }
        part[t * WG + lid] = term;
      }
      workgroupBarrier();
      let k = k0 + lid;
      if (lid < T && k < p.L) {
        var acc = vec2<f32>(0.0);
        for (var j = 0u; j < WG; j++) {
          acc += part[lid * WG + j];
        }
        acc *= p.scale;
        if (nb > 0u) {
          acc += y[row * p.L + k];
        }
        y[row * p.L + k] = acc;
      }
      workgroupBarrier();
    }
    if (live) {
      x[row * p.N2 + n] = s;
    }
  }
}
