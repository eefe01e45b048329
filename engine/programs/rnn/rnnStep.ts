// rnnStep: one Elman cell step h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) for a batch on the GPU
// (torch.nn.RNNCell). The same dispatch is what the RNN stepper runs once per layer and time step.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { type Nonlinearity, rnnStep } from '../../reference/rnn';
import { Rng } from '../../util/rng';
import type { Program } from '../program';

const WG = 64;

export interface RnnWeights {
  Wih: Float32Array; // (hidden, in)
  Whh: Float32Array; // (hidden, hidden)
  bih: Float32Array | null; // (hidden,)
  bhh: Float32Array | null; // (hidden,)
}

export function checkWeights(label: string, w: RnnWeights, inSize: number, hidden: number, layer = 0): void {
  const bad = (name: string, got: number, want: number) =>
    new EngineError(
      label,
      `${name}_l${layer} has ${got} values, want ${want} (hidden=${hidden}, in=${inSize})`,
    );
  if (w.Wih.length !== hidden * inSize) throw bad('W_ih', w.Wih.length, hidden * inSize);
  if (w.Whh.length !== hidden * hidden) throw bad('W_hh', w.Whh.length, hidden * hidden);
  if (w.bih && w.bih.length !== hidden) throw bad('b_ih', w.bih.length, hidden);
  if (w.bhh && w.bhh.length !== hidden) throw bad('b_hh', w.bhh.length, hidden);
}

export function rnnStepKernel(gpu: Gpu, nl: Nonlinearity) {
  return kernel(gpu, {
    label: 'rnnStep.cell',
    sources: ['rnn/rnnStep.wgsl'],
    constants: { WG, RELU: nl === 'relu' ? 1 : 0 },
  });
}

/** The dispatch for one cell step; x is read at x[xOff + n·xStride + i]. */
export function rnnStepDispatch(
  k: Dispatch['kernel'],
  scope: BufferScope,
  dims: { b: number; inSize: number; hidden: number; xOff: number; xStride: number },
  buf: {
    x: GPUBuffer;
    h: GPUBuffer;
    Wih: GPUBuffer;
    Whh: GPUBuffer;
    bih: GPUBuffer | null;
    bhh: GPUBuffer | null;
    out: GPUBuffer;
  },
): Dispatch {
  const placeholder = buf.bih && buf.bhh ? null : scope.storage('noBias', 4);
  return {
    kernel: k,
    bindings: [
      scope.uniform('stepParams', [
        ['u32', dims.b],
        ['u32', dims.inSize],
        ['u32', dims.hidden],
        ['u32', dims.xOff],
        ['u32', dims.xStride],
        ['u32', buf.bih ? 1 : 0],
        ['u32', buf.bhh ? 1 : 0],
      ]),
      buf.x,
      buf.h,
      buf.Wih,
      buf.Whh,
      buf.bih ?? (placeholder as GPUBuffer),
      buf.bhh ?? (placeholder as GPUBuffer),
      buf.out,
    ],
    workgroups: [Math.ceil(dims.hidden / WG), Math.min(dims.b, 65535), Math.ceil(dims.b / 65535)],
  };
}

export interface RnnStepParams {
  b: number;
  inSize: number;
  hidden: number;
  nonlinearity?: Nonlinearity;
}
export interface RnnStepInputs extends RnnWeights {
  x: Float32Array; // (b, in)
  h: Float32Array; // (b, hidden)
}

export async function rnnStepGpu(gpu: Gpu, p: RnnStepParams, x: RnnStepInputs): Promise<Float32Array> {
  const label = 'rnnStep';
  const { b, inSize, hidden } = p;
  for (const [n, v] of Object.entries({ b, inSize, hidden }))
    if (!Number.isInteger(v) || v < 1)
      throw new EngineError(label, `${n} must be a positive integer, got ${v}`);
  checkWeights(label, x, inSize, hidden);
  if (x.x.length !== b * inSize || x.h.length !== b * hidden)
    throw new EngineError(
      label,
      `x must be (b, in) = (${b}, ${inSize}) and h (b, hidden) = (${b}, ${hidden})`,
    );
  const scope = new BufferScope(gpu, label);
  try {
    const k = await rnnStepKernel(gpu, p.nonlinearity ?? 'tanh');
    const out = scope.storage('hNew', b * hidden * 4);
    const d = rnnStepDispatch(
      k,
      scope,
      { b, inSize, hidden, xOff: 0, xStride: inSize },
      {
        x: scope.upload('x', x.x),
        h: scope.upload('h', x.h),
        Wih: scope.upload('Wih', x.Wih),
        Whh: scope.upload('Whh', x.Whh),
        bih: x.bih ? scope.upload('bih', x.bih) : null,
        bhh: x.bhh ? scope.upload('bhh', x.bhh) : null,
        out,
      },
    );
    await runDispatches(gpu, label, [d]);
    return await readF32(gpu, out, b * hidden);
  } finally {
    scope.release();
  }
}

export const rnnStepProgram: Program<RnnStepParams, RnnStepInputs, { hNew: Float32Array | Float64Array }> = {
  id: 'rnnStep',
  title: 'Elman RNN cell, one step',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    const s = 1 / Math.sqrt(p.hidden);
    return {
      x: rng.normals(p.b * p.inSize),
      h: rng.normals(p.b * p.hidden),
      Wih: rng.normals(p.hidden * p.inSize, s),
      Whh: rng.normals(p.hidden * p.hidden, s),
      bih: rng.normals(p.hidden, s),
      bhh: rng.normals(p.hidden, s),
    };
  },
  reference: (p, x) => ({
    hNew: rnnStep(
      x.x,
      x.h,
      { Wih: x.Wih, Whh: x.Whh, bih: x.bih, bhh: x.bhh },
      p.b,
      p.inSize,
      p.hidden,
      p.nonlinearity,
    ),
  }),
  async run(gpu, p, x) {
    return { outputs: { hNew: await rnnStepGpu(gpu, p, x) }, gpuMs: null, trace: null };
  },
  tolerance: 1e-4,
};
