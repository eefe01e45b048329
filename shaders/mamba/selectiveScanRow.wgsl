// Fused selective scan (Mamba-1), one workgroup per channel row (b, d) walking L chunk by chunk, the shape
// of mamba_ssm's selective_scan_fwd kernel: no (L, D, N) tensor and no carry between workgroups.
// Real A only; L and every row start a multiple of 4 (the program checks, else it runs the chunked form).
// Tiling: WG invocations, each owning ITEMS = 4·V consecutive steps of the chunk (CHUNK = WG·ITEMS).
// Memory traffic, per workgroup:
//   u, δ, z, out: each step read (written) once, four at a time (vec4: a warp moves 512 contiguous bytes).
//   B, C: the row's group, ITEMS steps × 4 states per vec4 group; every channel of the group reads them
//         again, from L2 (they are N·L per group against D·L per tensor for u).
//   A, D, delta_bias: N + 2 values per row, once.
//   The carry h between chunks (N values) lives in workgroup memory, double-buffered by chunk parity.
// Scan, per chunk and per group of four states n0..n0+3 (vec4 lanes): each invocation forms its ITEMS pairs
//   (ΔA_t, ΔB_t u_t) = (exp(δ_t A), δ_t u_t B_t) and composes them in order; affineScan (subgroup shuffles,
//   or workgroup memory without subgroups: common/affineScan*.wgsl) gives each its prefix inside its
//   subgroup; the subgroups' aggregates meet in workgroup memory (one barrier per state group, the slots
//   double-buffered by the group's parity); the state entering an invocation is the carry, then every
//   earlier subgroup's aggregate, then its exclusive prefix; replaying its ITEMS pairs gives h_t and
//   y_t += C_t · h_t (a vec4 dot: four states at once). Invocation 0 writes the carry out of the chunk.
// Out: out_t = (y_t + u_t D)·silu(z_t), written once; the last chunk's carries are last_state.
// Bindings 0..3 (p, seq, bc, chan) and the scalar reads: selectiveScanParams.wgsl. The same three buffers are
// bound again as vec4 arrays (4, 5) for the wide loads.

@group(0) @binding(4) var<storage, read> seq4: array<vec4<f32>>;  // seq as vec4: u | δ | z
@group(0) @binding(5) var<storage, read> bc4: array<vec4<f32>>;  // bc as vec4: B | C
@group(0) @binding(6) var<storage, read_write> out4: array<vec4<f32>>;  // (B, D, L / 4)
@group(0) @binding(7) var<storage, read_write> lastState: array<f32>;  // (B, D, N)

override WG: u32 = 128u;
/** vec4s of steps per invocation per chunk: ITEMS = 4·V. */
override V: u32 = 2u;
/** State groups of four: ⌈N / 4⌉ (a constant, so the state loop has a fixed trip count). */
override NG: u32 = 4u;
const MAXV: u32 = 4u;

var<workgroup> sTotA: array<vec4<f32>, 2u * WG>;  // (2, subgroups) aggregate decay, by state-group parity
var<workgroup> sTotX: array<vec4<f32>, 2u * WG>;  // (2, subgroups) aggregate input
var<workgroup> sH: array<vec4<f32>, 2u * NG>;  // (2, NG) the carry h into the chunk, by chunk parity

/** Four consecutive B_t (or C_t) of state n from t, at base in bc; fixed B/C (time stride 0) repeats one. */
fn wide(base: u32, stride: u32, time: u32, n: u32, t: u32) -> vec4<f32> {
  if (time == 0u) {
    return vec4<f32>(bc[base + n * stride]);
  }
  return bc4[(base + n * stride + t) / 4u];
}

fn body(g: Workgroups, li: u32, lane: u32, size: u32) {
  let bd = linear(g);
  if (bd >= p.batch * p.D) {
    return;
  }
  let b = bd / p.D;
  let d = bd % p.D;
  let row = bd * p.L;
  let sg = li / size;
  let nSg = WG / size;
  let Dd = chan[2u * p.D * p.N + d];
  let bias = chan[2u * p.D * p.N + p.D + d];
  let bBase = bStart(b, d);
  let cBase = cStart(b, d);
  let chunk = WG * 4u * V;
  if (li < NG) {
    sH[li] = vec4<f32>(0.0);
  }
  workgroupBarrier();

  var par = 0u;
  var it = 0u;
  for (var t0 = 0u; t0 < p.L; t0 += chunk) {
    let tb = t0 + li * 4u * V;
    var uv: array<vec4<f32>, MAXV>;
    var dv: array<vec4<f32>, MAXV>;
    var yv: array<vec4<f32>, MAXV>;
    for (var v = 0u; v < V; v++) {
      let t = tb + 4u * v;
      uv[v] = vec4<f32>(0.0);
      dv[v] = vec4<f32>(0.0);  // δ = 0 past L: the pair (1, 0), the identity
      yv[v] = vec4<f32>(0.0);
      if (t < p.L) {
        uv[v] = seq4[(row + t) / 4u];
        let dr = seq4[(p.offDelta + row + t) / 4u] + vec4<f32>(bias);
        dv[v] = select(dr, softplus4(dr), p.softplusOn != 0u);
      }
    }
    for (var gi = 0u; gi < NG; gi++) {
      let n0 = gi * 4u;
      // A of the four states; 0 past N, where B = C = 0 too, so those lanes add nothing.
      var A = vec4<f32>(0.0);
      for (var s = 0u; s < 4u; s++) {
        if (n0 + s < p.N) {
          A[s] = chan[2u * (d * p.N + n0 + s)];
        }
      }
      var aI: array<vec4<f32>, 4u * MAXV>;
      var xI: array<vec4<f32>, 4u * MAXV>;
      var cI: array<vec4<f32>, 4u * MAXV>;
      var aT = vec4<f32>(1.0);
      var xT = vec4<f32>(0.0);
      for (var v = 0u; v < V; v++) {
        let t = tb + 4u * v;
        var Bs: array<vec4<f32>, 4>;  // Bs[s]: steps t..t+3 of state n0 + s
        var Cs: array<vec4<f32>, 4>;
        for (var s = 0u; s < 4u; s++) {
          Bs[s] = vec4<f32>(0.0);
          Cs[s] = vec4<f32>(0.0);
          if (t < p.L && n0 + s < p.N) {
            Bs[s] = wide(bBase, p.bState, p.bTime, n0 + s, t);
            Cs[s] = wide(cBase, p.cState, p.cTime, n0 + s, t);
          }
        }
        for (var e = 0u; e < 4u; e++) {
          let i = 4u * v + e;
          let dl = dv[v][e];
          aI[i] = exp(dl * A);
          xI[i] = (dl * uv[v][e]) * vec4<f32>(Bs[0][e], Bs[1][e], Bs[2][e], Bs[3][e]);
          cI[i] = vec4<f32>(Cs[0][e], Cs[1][e], Cs[2][e], Cs[3][e]);
          xT = aI[i] * xT + xI[i];
          aT = aI[i] * aT;
        }
      }
      let sc = affineScan(aT, xT, lane, size);
      let base = (it & 1u) * WG;
      if (lane == size - 1u) {
        sTotA[base + sg] = sc.a;
        sTotX[base + sg] = sc.x;
      }
      workgroupBarrier();
      let h0 = sH[par * NG + gi];
      var h = h0;
      for (var k = 0u; k < sg; k++) {
        h = sTotA[base + k] * h + sTotX[base + k];
      }
      var st = sc.ea * h + sc.ex;
      for (var v = 0u; v < V; v++) {
        for (var e = 0u; e < 4u; e++) {
          let i = 4u * v + e;
          st = aI[i] * st + xI[i];
          yv[v][e] += dot(cI[i], st);
        }
      }
      if (li == 0u) {
        var hn = h0;
        for (var k = 0u; k < nSg; k++) {
          hn = sTotA[base + k] * hn + sTotX[base + k];
        }
        sH[(1u - par) * NG + gi] = hn;
        if (t0 + chunk >= p.L) {
          for (var s = 0u; s < 4u; s++) {
            if (n0 + s < p.N) {
              lastState[bd * p.N + n0 + s] = hn[s];
            }
          }
        }
      }
      it += 1u;
    }
    for (var v = 0u; v < V; v++) {
      let t = tb + 4u * v;
      if (t < p.L) {
        var o = yv[v] + uv[v] * Dd;
        if (p.hasZ != 0u) {
          let z = seq4[(p.offZ + row + t) / 4u];
          o *= z / (vec4<f32>(1.0) + exp(-z));
        }
        out4[(row + t) / 4u] = o;
      }
    }
    par = 1u - par;
  }
}
