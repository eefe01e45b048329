// linearAttentionChunked: the chunked form on the GPU in three passes, chunk states ΔS_n, a scan over the
// chunks (S_before(n) and S_T), then outputs (intra-chunk quadratic + inter-chunk q·S_before). With g it is
// simple GLA's chunked form. T need not be a multiple of the chunk: the last chunk is short.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { type LaShape, linearAttentionChunked } from '../../reference/linearAttention';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import {
  type LaInputsF32,
  type LaOutputsHost,
  type LaParams,
  makeLaInputs,
} from './linearAttentionRecurrent';
import {
  checkGrid,
  gateCumsum,
  LA_TRACE_TENSORS,
  type LaGpuInputs,
  type LaGpuOptions,
  quadraticTiles,
  scaleFor,
  validateLa,
  withNormalize,
} from './common';
import type { Program } from '../program';

const WG = 64;

export interface ChunkedOptions extends LaGpuOptions {
  /** Chunk length C (fla's default 64). */
  chunk?: number;
}

/** Sizes of the three passes, exported so tests can derive the trace byte counts. */
export function chunkedPlan(p: LaShape, C: number) {
  const NC = Math.ceil(p.T / C);
  const VT = Math.min(p.V, Math.max(1, Math.floor(1024 / p.K)));
  const nVT = Math.ceil(p.V / VT);
  const CB = Math.max(1, Math.min(C, 32, Math.floor(3072 / (p.K + VT))));
  const { BR, prelude } = quadraticTiles('linearAttentionChunked', p.K, p.V, WG);
  return { NC, VT, nVT, CB, BR, tiles: Math.ceil(Math.min(C, p.T) / BR), outPrelude: prelude };
}

export async function laChunkedGpu(
  gpu: Gpu,
  shape: LaShape,
  inputs: LaGpuInputs,
  opts: ChunkedOptions = {},
): Promise<{ o: Float32Array; finalState: Float32Array; gpuMs: number | null; trace: TraceCapture | null }> {
  const label = 'linearAttentionChunked';
  validateLa(label, shape, { ...inputs, gk: null });
  const C = opts.chunk ?? 64;
  if (!Number.isInteger(C) || C < 1)
    throw new EngineError(label, `chunk must be a positive integer, got ${C}`);
  const scale = scaleFor(shape, opts.scale);
  const { p, x, finish } = withNormalize(shape, inputs, opts.normalize ?? false);
  const { B, T, H, K, V } = p;
  const plan = chunkedPlan(p, C);
  const { NC, VT, nVT, CB, tiles } = plan;
  const maxWg = gpu.limits.maxComputeWorkgroupsPerDimension;
  checkGrid(label, NC * nVT, maxWg);
  checkGrid(label, NC * tiles, maxWg);
  const decay = x.g ? 1 : 0;
  const TRACE = opts.trace ? 1 : 0;
  const scope = new BufferScope(gpu, label);
  try {
    const dispatches: Dispatch[] = [];
    let gHi = scope.storage('gHi', 4);
    let gLo = gHi;
    if (x.g) {
      const cs = await gateCumsum(gpu, scope, p, x.g, C);
      dispatches.push(cs.dispatch);
      ({ gHi, gLo } = cs);
    }
    const common = ['common/trace.wgsl'];
    const [kState, kScan, kOut] = await Promise.all([
      kernel(gpu, {
        label: `${label}.chunkState`,
        sources: [...common, 'linearAttention/linearAttentionChunkState.wgsl'],
        constants: { WG, DECAY: decay, TRACE },
        prelude: `const KP: u32 = ${K}u;\nconst VT: u32 = ${VT}u;\nconst CB: u32 = ${CB}u;\nconst NACC: u32 = ${Math.ceil((K * VT) / WG)}u;\n`,
      }),
      kernel(gpu, {
        label: `${label}.stateScan`,
        sources: [...common, 'linearAttention/linearAttentionStateScan.wgsl'],
        constants: { WG, DECAY: decay, TRACE },
      }),
      kernel(gpu, {
        label: `${label}.chunkOutput`,
        sources: [...common, 'linearAttention/linearAttentionParallel.wgsl'],
        constants: { WG, DECAY: decay, CHUNKED: 1, ATTN: 0, TRACE },
        prelude: plan.outPrelude,
      }),
    ]);
    const q = scope.upload('q', x.q);
    const k = scope.upload('k', x.k);
    const v = scope.upload('v', x.v);
    const states = scope.storage('states', B * H * NC * K * V * 4);
    const sT = scope.storage('finalState', B * H * K * V * 4);
    const o = scope.storage('o', B * T * H * V * 4);
    const scanGroups = Math.ceil((K * V) / WG);
    const events = TRACE
      ? B *
        H *
        (NC * nVT * (2 + 2 * Math.ceil(C / CB)) + scanGroups * (2 + 3 * NC) + NC * tiles * (6 + 2 * tiles))
      : 0;
    // Capacity ≥ 1 even when off: a TraceBuf binding needs room for one word past its 16-byte header.
    const trace = traceBuffer(scope, Math.max(1, events));
    const dims: Array<['u32', number]> = [
      ['u32', B],
      ['u32', T],
      ['u32', H],
      ['u32', K],
      ['u32', V],
    ];
    dispatches.push(
      {
        kernel: kState,
        bindings: [
          scope.uniform('stateParams', [...dims, ['u32', C], ['u32', NC], ['u32', nVT]]),
          k,
          v,
          gHi,
          gLo,
          states,
          trace,
        ],
        workgroups: [NC * nVT, H, B],
      },
      {
        kernel: kScan,
        bindings: [
          scope.uniform('scanParams', [...dims, ['u32', C], ['u32', NC], ['u32', x.initialState ? 1 : 0]]),
          gHi,
          gLo,
          scope.upload('s0', x.initialState ?? new Float32Array(1)),
          states,
          sT,
          trace,
        ],
        workgroups: [scanGroups, H, B],
      },
      {
        kernel: kOut,
        bindings: [
          scope.uniform('outParams', [
            ...dims,
            ['f32', scale],
            ['u32', C],
            ['u32', NC],
            ['u32', tiles],
            ['u32', 0],
          ]),
          q,
          k,
          v,
          gHi,
          gLo,
          states,
          o,
          scope.storage('attn', 4),
          trace,
        ],
        workgroups: [NC * tiles, H, B],
      },
    );
    const { gpuMs } = await runDispatches(gpu, label, dispatches, { time: opts.time });
    const oh = await readF32(gpu, o, B * T * H * V);
    const sh = await readF32(gpu, sT, B * H * K * V);
    return {
      ...finish(oh, sh),
      gpuMs,
      trace: TRACE ? await readTrace(gpu, trace, LA_TRACE_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
}

export interface LaChunkedParams extends LaParams {
  chunk: number;
}

export const linearAttentionChunkedProgram: Program<LaChunkedParams, LaInputsF32, LaOutputsHost> = {
  id: 'linearAttentionChunked',
  title: 'Linear attention, chunked form (chunk states, scan over chunks, outputs)',
  makeInputs: makeLaInputs,
  reference: (p, x) => linearAttentionChunked(p, x, p.chunk, p.scale, p.normalize),
  async run(gpu, p, x, opts = {}) {
    const r = await laChunkedGpu(gpu, p, x, { ...p, ...opts });
    return { outputs: { o: r.o, finalState: r.finalState }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};
