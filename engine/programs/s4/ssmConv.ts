// ssmConv: the convolution view of an SSM, y = K * u (causal, K_0 on the current input), for H channels
// and a batch of B sequences. Direct O(L^2) kernel with K and u tiles in workgroup memory, optionally
// traced; the FFT version lives beside it.

import type { Gpu } from '../../gpu/device';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { causalConv } from '../../reference/conv';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';

export interface SsmConvParams {
  B: number;
  H: number;
  L: number;
}
export interface SsmConvInputs {
  K: Float32Array; // (H, L)
  u: Float32Array; // (B, H, L)
}
export type SsmConvOutputs = { y: Float64Array | Float32Array }; // (B, H, L)

/** Trace tensor ids of shaders/s4/ssmConv.wgsl. */
export const SSM_CONV_TENSORS = ['K', 'u', 'y', ''] as const;
export const SSM_CONV_WG = 64;
const WG = SSM_CONV_WG;

export async function ssmConvGpu(
  gpu: Gpu,
  p: SsmConvParams,
  x: SsmConvInputs,
  opts: boolean | RunOptions = false,
): Promise<{ y: Float32Array; gpuMs: number | null; trace: TraceCapture | null }> {
  const { time, trace: traced } = typeof opts === 'boolean' ? { time: opts, trace: false } : opts;
  const scope = new BufferScope(gpu, 'ssmConv');
  try {
    const k = await kernel(gpu, {
      label: 'ssmConv.direct',
      sources: ['common/trace.wgsl', 's4/ssmConv.wgsl'],
      constants: { WG, TRACE: traced ? 1 : 0 },
    });
    const y = scope.storage('y', p.B * p.H * p.L * 4);
    const blocks = Math.ceil(p.L / WG);
    const gy = Math.min(p.B * p.H, gpu.limits.maxComputeWorkgroupsPerDimension);
    // Per block q: 3 events for each of its q + 1 tap tiles, then the y write.
    const trace = traceBuffer(scope, traced ? ((3 * blocks * (blocks + 1)) / 2 + blocks) * p.B * p.H : 0);
    const { gpuMs } = await runDispatches(
      gpu,
      'ssmConv',
      [
        {
          kernel: k,
          bindings: [
            scope.uniform('params', [
              ['u32', p.B],
              ['u32', p.H],
              ['u32', p.L],
            ]),
            scope.upload('K', x.K),
            scope.upload('u', x.u),
            y,
            trace,
          ],
          workgroups: [blocks, gy, Math.ceil((p.B * p.H) / gy)],
        },
      ],
      { time },
    );
    return {
      y: await readF32(gpu, y, p.B * p.H * p.L),
      gpuMs,
      trace: traced ? await readTrace(gpu, trace, SSM_CONV_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
}

export const ssmConvProgram: Program<SsmConvParams, SsmConvInputs, SsmConvOutputs> = {
  id: 'ssmConv',
  title: 'Causal convolution y = K * u (direct)',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    return { K: rng.normals(p.H * p.L, 0.5), u: rng.normals(p.B * p.H * p.L) };
  },
  reference(p, x) {
    return { y: causalConv(x.K, x.u, p.B, p.H, p.L) };
  },
  async run(gpu, p, x, opts = {}) {
    const { y, gpuMs, trace } = await ssmConvGpu(gpu, p, x, opts);
    return { outputs: { y }, gpuMs, trace };
  },
  tolerance: 1e-4,
};
