// The `ssd` stage's composite, imported by the app as the `ssdStage` namespace: the whole Mamba-2 block
// (Mamba2.forward without the fused path or a cache) in ONE GPU submission, from dispatch builders of the
// layers family (projections, splits, the gated RMSNorm), the mamba family (the causal conv1d over x, B
// and C with its SiLU) and the ssd family (the Mamba-2 op: softplus(dt + dt_bias), the four chunked SSD
// phases, D): in_proj → split [z0, x0, z, xBC, dt] → conv1d → SiLU → SSD → gated RMSNorm → out_proj. It
// reads back every intermediate the stage shows. The CPU backend is reference/blocks.ts mamba2Block.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import type { Dispatch } from '../gpu/kernel';
import { type BufferScope, readF32 } from '../gpu/tensor';
import { type Mamba2BlockDims, type Mamba2BlockWeights, mamba2Block } from '../reference/blocks';
import { traceBuffer } from '../trace/events';
import { Rng } from '../util/rng';
import { matmulDispatch } from '../programs/layers/matmul';
import { rmsNormGatedDispatch } from '../programs/layers/rmsNormGated';
import { columnsMap, type StridedMap, stridedDispatch, transposeMap } from '../programs/layers/strided';
import { causalConv1dDispatch } from '../programs/mamba/causalConv1d';
import { nChunks, SSD_TRACE, ssdPlan, ssdTraceCapacity } from '../programs/ssd/common';
import {
  type Mamba2HostInputs,
  type Mamba2Params,
  mamba2Buffers,
  mamba2Dispatch,
  mamba2Flags,
} from '../programs/ssd/mamba2Combined';
import type { Host, Program, RunOptions, RunResult } from '../programs/program';
import { checkLengths, checkRanges, initDtBias, runBlock } from './common';

export interface SsdStageParams extends Mamba2BlockDims {
  /** The SSD chunk length (64, or L when shorter); the result does not depend on it. */
  chunk?: number;
}

type F32 = Float32Array;
/** The block's input and its weights in torch state_dict shapes (conv1d.weight as (conv_dim, d_conv)). */
export interface SsdStageInputs extends Mamba2BlockWeights {
  u: F32; // (batch, L, d_model)
  inProj: F32;
  conv: F32;
  dtBias: F32;
  Alog: F32;
  D: F32;
  outProj: F32;
  inProjBias?: F32 | null;
  convBias?: F32 | null;
  norm?: F32 | null;
  outProjBias?: F32 | null;
}

/** What the stage shows, in upstream's (batch, L, ·) layouts. */
export interface SsdStageOutputs {
  [k: string]: Host;
  out: Host; // (batch, L, d_model)
  zxbcdt: Host; // (batch, L, 2 d_mlp + 2 d_ssm + 2 G N + H) in_proj output
  xBC: Host; // (batch, L, d_ssm + 2 G N) after the conv and SiLU
  dt: Host; // (batch, L, H) softplus(dt + dt_bias)
  ySsm: Host; // (batch, L, d_ssm) the SSD output with D·x (and the z gate without rmsnorm)
  yNorm: Host; // (batch, L, d_inner) out_proj's input
}

/** Ranges the stage accepts (Mamba-2 130m-like: d_model 768, head dim 64, N 128). */
export const SSD_STAGE_LIMITS = {
  batch: [1, 16],
  L: [1, 4096],
  dModel: [1, 2048],
  dInner: [1, 4096],
  H: [1, 256],
  P: [1, 256],
  N: [1, 256],
  G: [1, 64],
  dConv: [1, 8],
} as const;

const bad = (detail: string): never => {
  throw new EngineError('ssdStage', detail);
};

/** Throws an EngineError naming the first size outside the stage's ranges or inconsistent with another. */
export function validateSsdStageParams(p: SsdStageParams): void {
  checkRanges('ssdStage', SSD_STAGE_LIMITS, p);
  if (p.H % p.G !== 0) bad(`groups G=${p.G} must divide heads H=${p.H}`);
  if (p.dInner < p.H * p.P) bad(`d_inner=${p.dInner} is below d_ssm = H·P = ${p.H * p.P}`);
  if (!(p.eps >= 0)) bad(`eps must be >= 0 (got ${p.eps})`);
}

export const ssdStageSizes = (p: SsdStageParams) => {
  const dSsm = p.H * p.P;
  const dMlp = p.dInner - dSsm;
  const GN = p.G * p.N;
  return { dSsm, dMlp, GN, convDim: dSsm + 2 * GN, width: 2 * dMlp + 2 * dSsm + 2 * GN + p.H };
};

function checkInputs(p: SsdStageParams, x: SsdStageInputs): void {
  const { dSsm, convDim, width } = ssdStageSizes(p);
  checkLengths('ssdStage', [
    ['u', x.u, p.batch * p.L * p.dModel],
    ['in_proj.weight', x.inProj, width * p.dModel],
    ['in_proj.bias', x.inProjBias, width],
    ['conv1d.weight', x.conv, convDim * p.dConv],
    ['conv1d.bias', x.convBias, convDim],
    ['dt_bias', x.dtBias, p.H],
    ['A_log', x.Alog, p.H],
    ['D', x.D, [p.H, dSsm]],
    ['norm.weight', x.norm, dSsm],
    ['out_proj.weight', x.outProj, p.dModel * p.dInner],
    ['out_proj.bias', x.outProjBias, p.dModel],
  ]);
}

/** The Mamba-2 op the block runs: x (batch, L, H, P), dt (batch, L, H), B and C (batch, L, G, N). */
export const ssdStageScanParams = (p: SsdStageParams): Mamba2Params => ({
  batch: p.batch,
  T: p.L,
  H: p.H,
  P: p.P,
  N: p.N,
  G: p.G,
  Q: Math.min(p.chunk ?? 64, p.L),
  dtSoftplus: true,
});

/** The block's buffers the stage reads back. */
export interface SsdBlockBuffers {
  zxbcdt: GPUBuffer; // (batch, L, width)
  xBC: GPUBuffer; // (batch, L, conv_dim)
  dt: GPUBuffer; // (batch, L, H)
  ySsm: GPUBuffer; // (batch, L, d_ssm)
  yNorm: GPUBuffer; // (batch, L, d_inner)
  out: GPUBuffer; // (batch, L, d_model)
  trace: GPUBuffer;
}

/** Every dispatch of the block on its uploaded inputs, in order; `traced`: the SSD phases record. */
export async function ssdBlockDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SsdStageParams,
  x: SsdStageInputs,
  traced = false,
): Promise<{ dispatches: Dispatch[]; b: SsdBlockBuffers }> {
  const { batch, L, dModel: M, dInner, H } = p;
  const { dSsm, dMlp, GN, convDim, width } = ssdStageSizes(p);
  const rows = batch * L;
  const mp = ssdStageScanParams(p);
  const s = (name: string, floats: number) => scope.storage(name, floats * 4);
  const up = (name: string, a: ArrayLike<number> | null | undefined) => (a ? scope.upload(name, a) : null);
  const map = (m: StridedMap, src: GPUBuffer, dst: GPUBuffer) => stridedDispatch(gpu, scope, m, { src, dst });
  const plan = await ssdPlan(gpu, mp, mp.Q, { trace: traced });
  const trace = traceBuffer(scope, traced ? ssdTraceCapacity(mp, mp.Q, plan.tiles, nChunks(L, mp.Q)) : 1);
  // The op's inputs x, dt, A, B, C (and z without rmsnorm) start as zeros and are written on the device.
  const zeros = (n: number) => new Float32Array(n);
  const host: Mamba2HostInputs = {
    x: zeros(rows * dSsm),
    dt: zeros(rows * H),
    A: zeros(H),
    B: zeros(rows * GN),
    C: zeros(rows * GN),
    D: x.D,
    z: p.rmsnorm ? null : zeros(rows * dSsm),
    dtBias: x.dtBias,
  };
  const op = mamba2Buffers(scope, mp, host, trace);
  const zxbcdt = s('zxbcdt', rows * width);
  const xbcIn = s('xbcIn', rows * convDim); // (batch, conv_dim, L)
  const convOut = s('convOut', rows * convDim); // (batch, conv_dim, L)
  const xBC = s('xBC', rows * convDim);
  const zSlice = columnsMap(rows, dSsm, 2 * dMlp, width);
  const dispatches: Dispatch[] = [
    await matmulDispatch(
      gpu,
      scope,
      { rows, inF: M, outF: width },
      {
        x: scope.upload('u', x.u),
        W: scope.upload('inProj', x.inProj),
        bias: up('inProjBias', x.inProjBias),
        y: zxbcdt,
      },
    ),
    await map(transposeMap(batch, L, convDim, 2 * dMlp + dSsm, width), zxbcdt, xbcIn),
    await causalConv1dDispatch(
      gpu,
      scope,
      { batch, D: convDim, L, W: p.dConv, silu: true },
      {
        x: xbcIn,
        weight: scope.upload('conv', x.conv),
        bias: up('convBias', x.convBias) ?? s('noConvBias', convDim),
        initialStates: s('noInit', 1),
        init: false,
        out: convOut,
        finalStates: s('finalStates', Math.max(1, batch * convDim * (p.dConv - 1))),
        trace: traceBuffer(scope, 0),
      },
    ),
    await map(transposeMap(batch, convDim, L), convOut, xBC),
    await map(columnsMap(rows, dSsm, 0, convDim), xBC, op.x),
    await map(columnsMap(rows, GN, dSsm, convDim), xBC, op.ssd.B),
    await map(columnsMap(rows, GN, dSsm + GN, convDim), xBC, op.ssd.C),
    await map(columnsMap(rows, H, width - H, width), zxbcdt, op.dt),
    await map(
      { shape: [1, H, 1], src: { strides: [0, 1, 0] }, dst: { strides: [0, 1, 0] }, act: 'negExp' },
      scope.upload('Alog', x.Alog),
      op.Ahead,
    ),
    ...(p.rmsnorm ? [] : [await map(zSlice, zxbcdt, op.z)]),
    ...(await mamba2Dispatch(gpu, scope, mp, plan, op, mamba2Flags(mp, host))),
  ];
  let normed = op.out; // (batch, L, d_ssm)
  if (p.rmsnorm) {
    const z = s('z', rows * dSsm);
    normed = s('normed', rows * dSsm);
    const rp = {
      rows,
      F: dSsm,
      groupSize: p.normGroupSize ?? dSsm / p.G,
      eps: p.eps,
      normBeforeGate: p.normBeforeGate,
    };
    const weight = scope.upload('norm', x.norm ?? new Float32Array(dSsm).fill(1));
    dispatches.push(
      await map(zSlice, zxbcdt, z),
      await rmsNormGatedDispatch(gpu, scope, rp, { x: op.out, weight, z, bias: null, out: normed }),
    );
  }
  let yNorm = normed;
  if (dMlp > 0) {
    // y_norm = concat(silu(z0)·x0, y): the MLP branch and the normed SSD output side by side.
    yNorm = s('yNorm', rows * dInner);
    const mlp = {
      ...columnsMap(rows, dMlp, dMlp, width),
      gateOff: 0,
      dst: { strides: [0, dInner, 1] as const },
    };
    const ssm = {
      ...columnsMap(rows, dSsm, 0, dSsm),
      dst: { offset: dMlp, strides: [0, dInner, 1] as const },
    };
    dispatches.push(await map(mlp, zxbcdt, yNorm), await map(ssm, normed, yNorm));
  }
  const out = s('out', rows * M);
  dispatches.push(
    await matmulDispatch(
      gpu,
      scope,
      { rows, inF: dInner, outF: M },
      { x: yNorm, W: scope.upload('outProj', x.outProj), bias: up('outProjBias', x.outProjBias), y: out },
    ),
  );
  return { dispatches, b: { zxbcdt, xBC, dt: op.dtOut, ySsm: op.out, yNorm, out, trace } };
}

function runStage(
  gpu: Gpu,
  p: SsdStageParams,
  x: SsdStageInputs,
  opts: RunOptions,
): Promise<RunResult<SsdStageOutputs>> {
  validateSsdStageParams(p);
  checkInputs(p, x);
  const rows = p.batch * p.L;
  const { dSsm, convDim, width } = ssdStageSizes(p);
  return runBlock(
    gpu,
    'ssdStage',
    SSD_TRACE,
    (scope, traced) => ssdBlockDispatch(gpu, scope, p, x, traced),
    async (b): Promise<SsdStageOutputs> => ({
      out: await readF32(gpu, b.out, rows * p.dModel),
      zxbcdt: await readF32(gpu, b.zxbcdt, rows * width),
      xBC: await readF32(gpu, b.xBC, rows * convDim),
      dt: await readF32(gpu, b.dt, rows * p.H),
      ySsm: await readF32(gpu, b.ySsm, rows * dSsm),
      yNorm: await readF32(gpu, b.yNorm, rows * p.dInner),
    }),
    opts,
  );
}

/** Seeded inputs as Mamba2's module init makes them: A in (1, 16), dt_bias = softplus⁻¹(dt), D = 1, norm = 1. */
export function makeSsdInputs(p: SsdStageParams, seed: number): SsdStageInputs {
  validateSsdStageParams(p);
  const { dSsm, convDim, width } = ssdStageSizes(p);
  const rng = new Rng(seed);
  const dtBias = initDtBias(rng, p.H);
  return {
    u: rng.normals(p.batch * p.L * p.dModel),
    inProj: rng.normals(width * p.dModel, 1 / Math.sqrt(p.dModel)),
    conv: rng.normals(convDim * p.dConv, 1 / Math.sqrt(p.dConv)),
    convBias: rng.normals(convDim, 0.1),
    dtBias,
    Alog: rng.uniforms(p.H, 1, 16).map(Math.log),
    D: new Float32Array(p.H).fill(1),
    norm: new Float32Array(dSsm).fill(1),
    outProj: rng.normals(p.dModel * p.dInner, 1 / Math.sqrt(p.dInner)),
  };
}

export const program: Program<SsdStageParams, SsdStageInputs, SsdStageOutputs> = {
  id: 'ssdStage',
  title: 'The Mamba-2 block: in_proj, conv1d over x, B, C, SSD, gated RMSNorm, out_proj',
  makeInputs: makeSsdInputs,
  reference(p, x) {
    validateSsdStageParams(p);
    checkInputs(p, x);
    return mamba2Block(p, x.u, x);
  },
  run: (gpu, p, x, opts = {}) => runStage(gpu, p, x, opts),
  tolerance: 1e-4,
};
