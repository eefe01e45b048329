// naiveAttention: attention that materialises S = scale·QKᵀ (masked) and P = softmax(S) in storage
// buffers (three kernels: scores, softmax rows -> P and lse, O = PV), the baseline FlashAttention beats.
// Large problems are processed in slices of (batch, head, block of query rows) so that each S and P
// slice fits one storage binding; a single S row that does not fit is refused before any allocation.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { softmaxAttention } from '../../reference/attention';
import { readTrace, traceBuffer } from '../../trace/events';
import {
  ATTENTION_TENSORS,
  type AttentionInputs,
  type AttentionOutputs,
  type AttentionParams,
  makeAttentionInputs,
  validateAttention,
} from './common';
import type { Program, RunOptions, RunResult } from '../program';

const TS = 16;
const PV_WG = 64;

export interface NaiveAttentionOptions extends RunOptions {
  /** Upper bound on the bytes of one S (or P) slice; the device's binding limit applies anyway. */
  maxSliceBytes?: number;
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** Query rows per slice so that a (rows, sk) f32 slice fits `limit` bytes. */
export function naiveSliceRows(
  gpu: Gpu,
  p: AttentionParams,
  maxSliceBytes = Number.POSITIVE_INFINITY,
): number {
  const limit = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize, maxSliceBytes);
  const rows = Math.floor(limit / (p.sk * 4));
  if (rows < 1) {
    throw new EngineError(
      'naiveAttention',
      `one row of S (sk=${p.sk}) needs ${p.sk * 4} bytes, more than the ${limit}-byte slice limit`,
    );
  }
  return Math.min(rows, p.sq, gpu.limits.maxComputeWorkgroupsPerDimension);
}

export async function naiveAttentionGpu(
  gpu: Gpu,
  p: AttentionParams,
  x: AttentionInputs,
  opts: NaiveAttentionOptions = {},
): Promise<RunResult<AttentionOutputs> & { slices: number }> {
  const scale = validateAttention('naiveAttention', p, x);
  const sliceRows = naiveSliceRows(gpu, p, opts.maxSliceBytes);
  const smWg = Math.min(256, Math.max(32, nextPow2(p.sk)));
  const smPt = nextPow2(Math.ceil(p.sk / smWg));
  const TRACE = opts.trace ? 1 : 0;
  const scope = new BufferScope(gpu, 'naiveAttention');
  try {
    const common = 'attention/naiveAttentionCommon.wgsl';
    const [scores, softmax, pv] = await Promise.all([
      kernel(gpu, {
        label: 'naiveAttention.scores',
        sources: ['common/trace.wgsl', common, 'attention/naiveAttentionScores.wgsl'],
        constants: { TS, TRACE },
      }),
      kernel(gpu, {
        label: 'naiveAttention.softmax',
        sources: ['common/trace.wgsl', common, 'attention/naiveAttentionSoftmax.wgsl'],
        prelude: `const WG: u32 = ${smWg}u;\nconst PT: u32 = ${smPt}u;\n`,
        constants: { TRACE },
      }),
      kernel(gpu, {
        label: 'naiveAttention.pv',
        sources: ['common/trace.wgsl', common, 'attention/naiveAttentionPv.wgsl'],
        prelude: `const WG: u32 = ${PV_WG}u;\nconst DPT: u32 = ${Math.ceil(p.d / PV_WG)}u;\n`,
        constants: { TRACE },
      }),
    ]);
    const S = scope.storage('S', sliceRows * p.sk * 4);
    const P = scope.storage('P', sliceRows * p.sk * 4);
    const o = scope.storage('out', p.b * p.sq * p.h * p.d * 4);
    const lse = scope.storage('lse', p.b * p.h * p.sq * 4);
    const q = scope.upload('q', x.q);
    const k = scope.upload('k', x.k);
    const v = scope.upload('v', x.v);
    const perSlice = Math.ceil(p.sq / sliceRows);
    const slices = p.b * p.h * perSlice;
    const sliceWgs = Math.ceil(sliceRows / TS) * Math.ceil(p.sk / TS) + 2 * sliceRows;
    const trace = traceBuffer(scope, TRACE ? slices * sliceWgs * 3 : 1);
    const dispatches: Dispatch[] = [];
    for (let b = 0; b < p.b; b++) {
      for (let hh = 0; hh < p.h; hh++) {
        for (let i0 = 0; i0 < p.sq; i0 += sliceRows) {
          const rows = Math.min(sliceRows, p.sq - i0);
          const slice = scope.uniform(`slice.${b}.${hh}.${i0}`, [
            ['u32', p.b],
            ['u32', p.sq],
            ['u32', p.sk],
            ['u32', p.h],
            ['u32', p.hk],
            ['u32', p.d],
            ['u32', p.causal ? 1 : 0],
            ['f32', scale],
            ['f32', Number.POSITIVE_INFINITY],
            ['u32', b],
            ['u32', hh],
            ['u32', i0],
            ['u32', rows],
          ]);
          dispatches.push(
            {
              kernel: scores,
              bindings: [slice, q, k, S, trace],
              workgroups: [Math.ceil(p.sk / TS), Math.ceil(rows / TS)],
            },
            { kernel: softmax, bindings: [slice, S, P, lse, trace], workgroups: [rows] },
            { kernel: pv, bindings: [slice, P, v, o, trace], workgroups: [rows] },
          );
        }
      }
    }
    const { gpuMs } = await runDispatches(gpu, 'naiveAttention', dispatches, { time: opts.time });
    return {
      outputs: {
        out: await readF32(gpu, o, p.b * p.sq * p.h * p.d),
        lse: await readF32(gpu, lse, p.b * p.h * p.sq),
      },
      gpuMs,
      trace: TRACE ? await readTrace(gpu, trace, ATTENTION_TENSORS) : null,
      slices,
    };
  } finally {
    scope.release();
  }
}

export const naiveAttentionProgram: Program<AttentionParams, AttentionInputs, AttentionOutputs> = {
  id: 'naiveAttention',
  title: 'Standard attention (S and P materialised in memory)',
  makeInputs: (p, seed) => makeAttentionInputs(p, seed),
  reference(p, x) {
    return softmaxAttention(x.q, x.k, x.v, p, p.causal, validateAttention('naiveAttention', p, x));
  },
  async run(gpu, p, x, opts = {}) {
    const { outputs, gpuMs, trace } = await naiveAttentionGpu(gpu, p, x, opts);
    return { outputs, gpuMs, trace };
  },
  tolerance: 1e-4,
};
