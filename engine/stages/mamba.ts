// The `mamba` stage's composite, imported by the app as the `mambaStage` namespace: the whole Mamba block
// (Mamba.forward without the fused path or a cache) in ONE GPU submission, from dispatch builders of the
// layers family (the projections, the transposes and splits between them) and the mamba family (causal
// conv1d with its SiLU, the fused chunked selective scan with the softplus of Δ + dt_proj.bias, D and the
// silu(z) gate inside): in_proj → conv1d → SiLU → x_proj → dt_proj → selective scan → out_proj. It reads
// back every intermediate the stage shows. The CPU backend is reference/blocks.ts mambaBlock.

import type { Gpu } from '../gpu/device';
import type { Dispatch } from '../gpu/kernel';
import { type BufferScope, readF32 } from '../gpu/tensor';
import { type MambaBlockDims, type MambaBlockWeights, mambaBlock } from '../reference/blocks';
import type { SelectiveScanParams } from '../reference/mamba';
import { traceBuffer } from '../trace/events';
import { Rng } from '../util/rng';
import { matmulDispatch } from '../programs/layers/matmul';
import { stridedDispatch, transposeMap } from '../programs/layers/strided';
import { causalConv1dDispatch } from '../programs/mamba/causalConv1d';
import { SELECTIVE_SCAN_TRACE, scanOutputs } from '../programs/mamba/common';
import {
  chunkedTraceCapacity,
  deviceChunkLayout,
  selectiveScanChunkedDispatch,
} from '../programs/mamba/selectiveScanChunked';
import type { Host, Program, RunOptions, RunResult } from '../programs/program';
import { checkLengths, checkRanges, initDtBias, runBlock } from './common';

export interface MambaStageParams extends MambaBlockDims {
  /** The scan's carries between chunks: 'passes' (portable, the default) or 'chained'. */
  carry?: 'chained' | 'passes';
  /** The scan's chunk length (the family's default when absent). */
  chunk?: number;
}

type F32 = Float32Array;
/** The block's input and its weights in torch state_dict shapes (conv1d.weight as (d_inner, d_conv)). */
export interface MambaStageInputs extends MambaBlockWeights {
  h: F32; // (batch, L, d_model) hidden_states
  inProj: F32;
  conv: F32;
  xProj: F32;
  dtProj: F32;
  dtProjBias: F32;
  Alog: F32;
  D: F32;
  outProj: F32;
  inProjBias?: F32 | null;
  convBias?: F32 | null;
  outProjBias?: F32 | null;
}

/** What the stage shows, in upstream's layouts (the names of the vectors2 cases, camelCased). */
export interface MambaStageOutputs {
  [k: string]: Host;
  out: Host; // (batch, L, d_model)
  xz: Host; // (batch, 2 d_inner, L) in_proj output
  xConv: Host; // (batch, d_inner, L) x after the conv and SiLU: the scan's u
  dt: Host; // (batch, d_inner, L) dt_proj output, the scan's δ before its bias
  delta: Host; // (batch, d_inner, L) softplus(dt + dt_proj.bias)
  B: Host; // (batch, N, L)
  C: Host; // (batch, N, L)
  y: Host; // (batch, L, d_inner) the scan output, D·u and the silu(z) gate included
}

/** Ranges the stage accepts (Mamba-130m: d_model 768, d_inner 1536, N 16, d_conv 4, dt_rank 48). */
export const MAMBA_STAGE_LIMITS = {
  batch: [1, 16],
  L: [1, 4096],
  dModel: [1, 2048],
  dInner: [1, 4096],
  N: [1, 256],
  dConv: [1, 8],
  dtRank: [1, 256],
} as const;

/** Throws an EngineError naming the first size outside the stage's ranges. */
export function validateMambaStageParams(p: MambaStageParams): void {
  checkRanges('mambaStage', MAMBA_STAGE_LIMITS, p);
}

function checkInputs(p: MambaStageParams, x: MambaStageInputs): void {
  const { batch, L, dModel: M, dInner: D, N, dConv: W, dtRank: R } = p;
  checkLengths('mambaStage', [
    ['hidden_states', x.h, batch * L * M],
    ['in_proj.weight', x.inProj, 2 * D * M],
    ['in_proj.bias', x.inProjBias, 2 * D],
    ['conv1d.weight', x.conv, D * W],
    ['conv1d.bias', x.convBias, D],
    ['x_proj.weight', x.xProj, (R + 2 * N) * D],
    ['dt_proj.weight', x.dtProj, D * R],
    ['dt_proj.bias', x.dtProjBias, D],
    ['A_log', x.Alog, D * N],
    ['D', x.D, D],
    ['out_proj.weight', x.outProj, M * D],
    ['out_proj.bias', x.outProjBias, M],
  ]);
}

/** The selective scan the block runs: u, δ, z (batch, d_inner, L), B and C (batch, 1, N, L). */
export const mambaScanParams = (p: MambaStageParams): SelectiveScanParams => ({
  batch: p.batch,
  D: p.dInner,
  L: p.L,
  N: p.N,
  complex: false,
  bGroups: 1,
  cGroups: 1,
  deltaSoftplus: true,
  chunk: p.chunk,
  carry: p.carry ?? 'passes',
});

/** The block's device buffers: what the stage reads back, and the scan's packed inputs. */
export interface MambaBlockBuffers {
  xz: GPUBuffer; // (batch, 2 d_inner, L)
  /** u | δ | z, each (batch, d_inner, L): x after the conv, dt, z. */
  seq: GPUBuffer;
  /** B | C, each (batch, N, L). */
  bc: GPUBuffer;
  /** A = −exp(A_log) as (d_inner, N, 2) (re, 0) | D | dt_proj.bias. */
  chan: GPUBuffer;
  delta: GPUBuffer; // (batch, d_inner, L)
  y: GPUBuffer; // (batch, L, d_inner)
  out: GPUBuffer; // (batch, L, d_model)
  trace: GPUBuffer;
}

/** Every dispatch of the block on uploaded inputs, in order; `traced`: the scan records its trace. */
export async function mambaBlockDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: MambaStageParams,
  x: MambaStageInputs,
  traced = false,
): Promise<{ dispatches: Dispatch[]; b: MambaBlockBuffers }> {
  const { batch, L, dModel: M, dInner: D, N, dConv: W, dtRank: R } = p;
  const rows = batch * L;
  const n = batch * D * L;
  const wX = R + 2 * N;
  const sp = mambaScanParams(p);
  const up = (name: string, a: ArrayLike<number> | null | undefined) => (a ? scope.upload(name, a) : null);
  const chan = new Float32Array(2 * D * N + 2 * D);
  chan.set(x.D, 2 * D * N);
  chan.set(x.dtProjBias, 2 * D * N + D);
  const s = (name: string, floats: number) => scope.storage(name, floats * 4);
  const trace = traceBuffer(scope, traced ? chunkedTraceCapacity(sp, deviceChunkLayout(gpu, sp)) : 0);
  const b: MambaBlockBuffers = {
    xz: s('xz', 2 * n),
    seq: s('seq', 3 * n),
    bc: s('bc', 2 * batch * N * L),
    chan: scope.upload('chan', chan),
    delta: s('delta', n),
    y: s('y', rows * D),
    out: s('out', rows * M),
    trace,
  };
  const xzT = s('xzT', rows * 2 * D); // (batch, L, 2 d_inner)
  const xIn = s('x', n); // (batch, d_inner, L)
  const xcT = s('xConvT', rows * D); // (batch, L, d_inner)
  const xDbl = s('xDbl', rows * wX); // (batch, L, dt_rank + 2N)
  const dtT = s('dtT', rows * D); // (batch, L, d_inner)
  const scanOut = scanOutputs(scope, sp);
  const map = (m: Parameters<typeof stridedDispatch>[2], src: GPUBuffer, dst: GPUBuffer, bias?: GPUBuffer) =>
    stridedDispatch(gpu, scope, m, { src, dst, bias });
  const half = (off: number, dstOff: number) => ({
    shape: [batch, 1, D * L] as const,
    src: { offset: off, strides: [2 * D * L, 0, 1] as const },
    dst: { offset: dstOff, strides: [D * L, 0, 1] as const },
  });
  const dispatches: Dispatch[] = [
    await matmulDispatch(
      gpu,
      scope,
      { rows, inF: M, outF: 2 * D },
      {
        x: scope.upload('h', x.h),
        W: scope.upload('inProj', x.inProj),
        bias: up('inProjBias', x.inProjBias),
        y: xzT,
      },
    ),
    await map(transposeMap(batch, L, 2 * D), xzT, b.xz),
    await map(half(0, 0), b.xz, xIn),
    await map(half(D * L, 2 * n), b.xz, b.seq), // z into the scan's seq
    await causalConv1dDispatch(
      gpu,
      scope,
      { batch, D, L, W, silu: true },
      {
        x: xIn,
        weight: scope.upload('conv', x.conv),
        bias: up('convBias', x.convBias) ?? s('noConvBias', D),
        initialStates: s('noInit', 1),
        init: false,
        out: b.seq, // u = silu(conv(x)) straight into the front of seq
        finalStates: s('finalStates', Math.max(1, batch * D * (W - 1))),
        trace: traceBuffer(scope, 0),
      },
    ),
    await map(transposeMap(batch, D, L), b.seq, xcT),
    await matmulDispatch(
      gpu,
      scope,
      { rows, inF: D, outF: wX },
      {
        x: xcT,
        W: scope.upload('xProj', x.xProj),
        bias: null,
        y: xDbl,
      },
    ),
    await matmulDispatch(
      gpu,
      scope,
      { rows, inF: R, outF: D },
      { x: xDbl, W: scope.upload('dtProj', x.dtProj), bias: null, y: dtT },
      { xStride: wX }, // dt = the first dt_rank columns of x_proj's output; no bias here
    ),
    await map({ ...transposeMap(batch, L, D), dst: { offset: n, strides: [D * L, L, 1] } }, dtT, b.seq),
    await map(transposeMap(batch, L, N, R, wX), xDbl, b.bc),
    await map(
      { ...transposeMap(batch, L, N, R + N, wX), dst: { offset: batch * N * L, strides: [N * L, L, 1] } },
      xDbl,
      b.bc,
    ),
    await map(
      { shape: [1, D * N, 1], src: { strides: [0, 1, 0] }, dst: { strides: [0, 2, 0] }, act: 'negExp' },
      scope.upload('Alog', x.Alog),
      b.chan,
    ),
    await map(
      {
        shape: [batch, D, L],
        src: { offset: n, strides: [D * L, L, 1] },
        dst: { strides: [D * L, L, 1] },
        act: 'softplus',
      },
      b.seq,
      b.delta,
      scope.upload('dtProjBias', x.dtProjBias),
    ),
    ...(await selectiveScanChunkedDispatch(
      gpu,
      scope,
      sp,
      { seq: b.seq, bc: b.bc, chan: b.chan, z: true, ...scanOut, trace },
      traced,
    )),
    await map(transposeMap(batch, D, L), scanOut.out, b.y),
    await matmulDispatch(
      gpu,
      scope,
      { rows, inF: D, outF: M },
      {
        x: b.y,
        W: scope.upload('outProj', x.outProj),
        bias: up('outProjBias', x.outProjBias),
        y: b.out,
      },
    ),
  ];
  return { dispatches, b };
}

function runStage(
  gpu: Gpu,
  p: MambaStageParams,
  x: MambaStageInputs,
  opts: RunOptions,
): Promise<RunResult<MambaStageOutputs>> {
  validateMambaStageParams(p);
  checkInputs(p, x);
  const { batch, L, dModel: M, dInner: D, N } = p;
  const n = batch * D * L;
  return runBlock(
    gpu,
    'mambaStage',
    SELECTIVE_SCAN_TRACE,
    (scope, traced) => mambaBlockDispatch(gpu, scope, p, x, traced),
    async (b): Promise<MambaStageOutputs> => {
      const seq = await readF32(gpu, b.seq, 3 * n);
      const bc = await readF32(gpu, b.bc, 2 * batch * N * L);
      return {
        out: await readF32(gpu, b.out, batch * L * M),
        xz: await readF32(gpu, b.xz, 2 * n),
        xConv: seq.slice(0, n),
        dt: seq.slice(n, 2 * n),
        delta: await readF32(gpu, b.delta, n),
        B: bc.slice(0, batch * N * L),
        C: bc.slice(batch * N * L),
        y: await readF32(gpu, b.y, n),
      };
    },
    opts,
  );
}

/** Seeded inputs as Mamba's module init makes them: A_log = log(1..N), D = 1, dt bias = softplus⁻¹(dt). */
export function makeMambaInputs(p: MambaStageParams, seed: number): MambaStageInputs {
  validateMambaStageParams(p);
  const { batch, L, dModel: M, dInner: D, N, dConv: W, dtRank: R } = p;
  const rng = new Rng(seed);
  const dtProjBias = initDtBias(rng, D);
  return {
    h: rng.normals(batch * L * M),
    inProj: rng.normals(2 * D * M, 1 / Math.sqrt(M)),
    conv: rng.normals(D * W, 1 / Math.sqrt(W)),
    convBias: rng.normals(D, 0.1),
    xProj: rng.normals((R + 2 * N) * D, 1 / Math.sqrt(D)),
    dtProj: rng.normals(D * R, R ** -0.5),
    dtProjBias,
    Alog: Float32Array.from({ length: D * N }, (_, i) => Math.log((i % N) + 1)),
    D: new Float32Array(D).fill(1),
    outProj: rng.normals(M * D, 1 / Math.sqrt(D)),
  };
}

export const program: Program<MambaStageParams, MambaStageInputs, MambaStageOutputs> = {
  id: 'mambaStage',
  title: 'The Mamba block: in_proj, causal conv1d, SiLU, x_proj, dt_proj, selective scan, out_proj',
  makeInputs: makeMambaInputs,
  reference(p, x) {
    validateMambaStageParams(p);
    checkInputs(p, x);
    return mambaBlock(p, x.h, x);
  },
  run: (gpu, p, x, opts = {}) => runStage(gpu, p, x, opts),
  tolerance: 1e-4,
};
