// The register-tile product shared by the chunk-state and quadratic kernels (functions only): a (rows, cols)
// tile of sums lives in registers, NACC values per invocation (element e = lid + j·WG, row e / cols, column
// e % cols), and grows by Σ_{s<n} lhsAt(row, s) · rhsAt(s, col), both factors read from workgroup memory.
// The kernel defines lhsAt and rhsAt over its own workgroup arrays (and NACC in its prelude, WG as override).

fn accumulateTile(acc: ptr<function, array<f32, NACC>>, lid: u32, rows: u32, cols: u32, n: u32) {
  for (var j = 0u; j < NACC; j++) {
    let e = lid + j * WG;
    if (e < rows * cols) {
      let r = e / cols;
      let c = e % cols;
      var a = (*acc)[j];
      for (var s = 0u; s < n; s++) {
        a += lhsAt(r, s) * rhsAt(s, c);
      }
      (*acc)[j] = a;
    }
  }
}
