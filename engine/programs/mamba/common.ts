// Buffer packing shared by the GPU selective-scan programs (fused chunked and sequential): the host
// inputs become the few storage buffers the kernels bind (at most 8 per stage, the portable limit).

import type { BufferScope, UniformField } from '../../gpu/tensor';
import {
  bcLength,
  bcStrides,
  checkSelectiveScan,
  type SelectiveScanInputs,
  type SelectiveScanParams,
} from '../../reference/mamba';
import { Rng } from '../../util/rng';

export interface PackedScan {
  /** u | δ | z, each (batch, D, L). */
  seq: GPUBuffer;
  /** B then C (at offC). */
  bc: GPUBuffer;
  /** A (D, N, 2) | D (D,) | delta_bias (D,); absent D and bias are zeros. */
  chan: GPUBuffer;
  /** The scalar fields of the kernels' Params struct, in order. */
  fields: UniformField[];
}

export function packScan(scope: BufferScope, p: SelectiveScanParams, x: SelectiveScanInputs): PackedScan {
  checkSelectiveScan(p, x);
  const { batch, D, L, N } = p;
  const n = batch * D * L;
  const seq = new Float32Array(x.z ? 3 * n : 2 * n);
  seq.set(x.u, 0);
  seq.set(x.delta, n);
  if (x.z) seq.set(x.z, 2 * n);
  const lb = bcLength(p, p.bGroups);
  const bc = new Float32Array(lb + bcLength(p, p.cGroups));
  bc.set(x.B, 0);
  bc.set(x.C, lb);
  const chan = new Float32Array(2 * D * N + 2 * D);
  for (let i = 0; i < D * N; i++) {
    chan[2 * i] = x.A[i];
    chan[2 * i + 1] = x.Aim?.[i] ?? 0;
  }
  if (x.Dskip) chan.set(x.Dskip, 2 * D * N);
  if (x.deltaBias) chan.set(x.deltaBias, 2 * D * N + D);
  const sB = bcStrides(p, p.bGroups);
  const sC = bcStrides(p, p.cGroups);
  const u = (v: number): UniformField => ['u32', v];
  const fields: UniformField[] = [
    u(batch),
    u(D),
    u(L),
    u(N),
    u(0), // nChunks, set by the chunked program
    u(p.deltaSoftplus ? 1 : 0),
    u(x.z ? 1 : 0),
    u(n),
    u(2 * n),
    u(lb),
    u(sB.sb),
    u(sB.sg),
    u(sB.sn),
    u(sB.st),
    u(sB.perGroup),
    u(sC.sb),
    u(sC.sg),
    u(sC.sn),
    u(sC.st),
    u(sC.perGroup),
  ];
  return {
    seq: scope.upload('seq', seq),
    bc: scope.upload('bc', bc),
    chan: scope.upload('chan', chan),
    fields,
  };
}

/** Seeded inputs with Mamba-like magnitudes: A = -exp(log n) (S4D-real) or complex S4D-lin, δ near softplus⁻¹(0.01..0.1). */
export function makeScanInputs(
  p: SelectiveScanParams,
  seed: number,
  withOptional = true,
): SelectiveScanInputs {
  const rng = new Rng(seed);
  const { batch, D, L, N } = p;
  const A = new Float32Array(D * N);
  const Aim = p.complex ? new Float32Array(D * N) : undefined;
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < N; k++) {
      A[d * N + k] = p.complex ? -0.5 : -(k + 1);
      if (Aim) Aim[d * N + k] = Math.fround(Math.PI * k);
    }
  }
  return {
    u: rng.normals(batch * D * L),
    delta: rng.uniforms(batch * D * L, -4.5, -2),
    A,
    Aim,
    B: rng.normals(bcLength(p, p.bGroups)),
    C: rng.normals(bcLength(p, p.cGroups)),
    Dskip: withOptional ? rng.normals(D) : undefined,
    z: withOptional ? rng.normals(batch * D * L) : undefined,
    deltaBias: withOptional ? rng.uniforms(D, -0.5, 0.5) : undefined,
  };
}

/** Splits a (…, N, 2) interleaved complex array into real and imaginary parts. */
export function deinterleave(v: ArrayLike<number>): { data: Float64Array; imag: Float64Array } {
  const data = new Float64Array(v.length / 2);
  const imag = new Float64Array(v.length / 2);
  for (let i = 0; i < data.length; i++) {
    data[i] = v[2 * i];
    imag[i] = v[2 * i + 1];
  }
  return { data, imag };
}

/** Grid for `count` workgroups folded into x and y (each at most `maxPerDim`). */
export function foldGrid(count: number, maxPerDim: number): [number, number] {
  const x = Math.max(1, Math.min(count, maxPerDim));
  return [x, Math.ceil(count / x)];
}
