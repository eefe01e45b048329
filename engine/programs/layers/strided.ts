// strided: the elementwise glue between the blocks' layers (shaders/layers/strided.wgsl): a strided view
// of one buffer mapped into a strided view of another, with an optional per-j bias, act (identity, −exp,
// softplus) and silu gate. Transposes (b, L, C) <-> (b, C, L), column splits of a packed projection,
// copies into a slice of a packed buffer, A = −exp(A_log), Δ = softplus(dt + bias), silu(z0)·x0.
// CPU side: stridedReference here (index arithmetic) and reference/blocks.ts transposeLast.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import { modeKernel } from '../../gpu/elementwise';
import type { Dispatch, Kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import { transposeLast } from '../../reference/blocks';
import { silu, softplus } from '../../reference/math';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import { checkSizes, f32, runResult } from './common';

export type MapAct = 'copy' | 'negExp' | 'softplus';
const MODES: Record<MapAct, number> = { copy: 0, negExp: 1, softplus: 2 };
const WG = 64;
const LABEL = 'strided';

export type Strides = readonly [number, number, number];

/** The map over (i, j, k) < shape: dst[dOff + i·d0 + j·d1 + k·d2] = act(src[…] + bias[j]) · silu(src[gate…]). */
export interface StridedMap {
  shape: readonly [number, number, number];
  src: { offset?: number; strides: Strides };
  dst: { offset?: number; strides: Strides };
  act?: MapAct;
  /** Element offset of the silu gate in src, read with src's strides (absent: no gate). */
  gateOff?: number | null;
}

/** Row-major strides of a dense (n0, n1, n2) array. */
export const dense = (shape: readonly [number, number, number]): Strides => [
  shape[1] * shape[2],
  shape[2],
  1,
];

/**
 * (b, R, C) read from columns [off, off + C) of a (b, R, width) buffer, written as a dense (b, C, R): the
 * transpose of a column slice. width defaults to C (a whole dense array).
 */
export function transposeMap(b: number, R: number, C: number, off = 0, width = C): StridedMap {
  return {
    shape: [b, C, R],
    src: { offset: off, strides: [R * width, 1, width] },
    dst: { strides: dense([b, C, R]) },
  };
}

/** Columns [off, off + C) of a (rows, width) buffer into a dense (rows, C) array. */
export const columnsMap = (rows: number, C: number, off: number, width: number): StridedMap => ({
  shape: [1, rows, C],
  src: { offset: off, strides: [0, width, 1] },
  dst: { strides: [0, C, 1] },
});

const SPEC = { owner: LABEL, file: 'layers/strided.wgsl', modes: MODES, WG };
export const stridedKernel = (gpu: Gpu, act: MapAct): Promise<Kernel> =>
  modeKernel(gpu, { ...SPEC, label: `${LABEL}.${act}` }, act);

/** One invocation per element on buffers it is given; `bias` (shape[1],) is added before act. */
export async function stridedDispatch(
  gpu: Gpu,
  scope: BufferScope,
  m: StridedMap,
  b: { src: GPUBuffer; dst: GPUBuffer; bias?: GPUBuffer | null },
): Promise<Dispatch> {
  const [n0, n1, n2] = m.shape;
  checkSizes(LABEL, { n0, n1, n2 });
  const act = m.act ?? 'copy';
  const k = await stridedKernel(gpu, act);
  const count = n0 * n1 * n2;
  const [s0, s1, s2] = m.src.strides;
  const [d0, d1, d2] = m.dst.strides;
  const gate = m.gateOff !== undefined && m.gateOff !== null;
  const params = uniformFor(scope, k, {
    n1,
    n2,
    count,
    srcOff: m.src.offset ?? 0,
    s0,
    s1,
    s2,
    dstOff: m.dst.offset ?? 0,
    d0,
    d1,
    d2,
    gateOff: gate ? (m.gateOff as number) : 0,
    hasGate: gate ? 1 : 0,
    hasBias: b.bias ? 1 : 0,
  });
  return {
    kernel: k,
    bindings: { p: params.buffer, src: b.src, bias: b.bias ?? scope.storage('noBias', 4), dst: b.dst },
    workgroups: gridForInvocations(gpu, `${LABEL}.${act}`, count, WG).workgroups,
  };
}

/** The map on host arrays (float64): dst is updated in place and returned. */
export function stridedReference(
  m: StridedMap,
  src: ArrayLike<number>,
  dst: Float64Array,
  bias?: ArrayLike<number> | null,
): Float64Array {
  const [n0, n1, n2] = m.shape;
  const [s0, s1, s2] = m.src.strides;
  const [d0, d1, d2] = m.dst.strides;
  const f = { copy: (v: number) => v, negExp: (v: number) => -Math.exp(v), softplus }[m.act ?? 'copy'];
  for (let i = 0; i < n0; i++)
    for (let j = 0; j < n1; j++)
      for (let k = 0; k < n2; k++) {
        const at = i * s0 + j * s1 + k * s2;
        let v = f(src[(m.src.offset ?? 0) + at] + (bias ? bias[j] : 0));
        if (m.gateOff !== undefined && m.gateOff !== null) v *= silu(src[m.gateOff + at]);
        dst[(m.dst.offset ?? 0) + i * d0 + j * d1 + k * d2] = v;
      }
  return dst;
}

export interface TransposeParams {
  batch: number;
  R: number;
  C: number;
}

/** (batch, R, C) -> (batch, C, R) on the GPU, one submission. */
export async function transposeGpu(
  gpu: Gpu,
  p: TransposeParams,
  x: ArrayLike<number>,
  opts: RunOptions = {},
) {
  const n = p.batch * p.R * p.C;
  if (x.length !== n) throw new EngineError(LABEL, `x has ${x.length} values, want ${n}`);
  return runAndRead<'y'>(
    gpu,
    LABEL,
    async (scope) => {
      const y = scope.storage('y', n * 4);
      const src = scope.upload('x', f32(x));
      return {
        dispatches: [await stridedDispatch(gpu, scope, transposeMap(p.batch, p.R, p.C), { src, dst: y })],
        read: { y: [y, n] },
      };
    },
    opts.time,
  );
}

export const transposeProgram: Program<TransposeParams, { x: Float32Array }, { y: Host }> = {
  id: 'transpose',
  title: 'Transpose of the last two axes, (b, L, C) <-> (b, C, L)',
  makeInputs: (p, seed) => ({ x: new Rng(seed).normals(p.batch * p.R * p.C) }),
  reference: (p, x) => ({ y: transposeLast(x.x, p.batch, p.R, p.C) }),
  async run(gpu, p, x, opts = {}) {
    const r = await transposeGpu(gpu, p, x.x, opts);
    return runResult(r, { y: r.y });
  },
  tolerance: 0,
};
