// Each stage composite's largestBinding against what it really allocates on Dawn: the bytes it computes
// equal the largest storage buffer that a run (with the trace and timing the app asks for), the stepper and
// a step create, at corners and the inside of each stage's size ranges (the app's sweeps: ssm N ≤ 32,
// L ≤ 256; rnn and attention up to 60 tokens). And the engine's own check agrees: past a small binding limit
// the run fails, at the largest size within it the run succeeds.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../gpu/device';
import { testGpu } from '../node/testGpu';
import * as attentionStage from './attention';
import * as introStage from './intro';
import * as rnnStage from './rnn';
import * as ssmStage from './ssm';

const STORAGE = 0x80;
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i % 10}`).join(' ');
/** The cache lengths of the attention stage's cost sweep in the app (app/stages/attention/runtime.ts). */
const COST_LENGTHS = [64, 256, 1024, 4096];

/** The largest STORAGE buffer created while `fn` runs on gpu. */
async function largestCreated(gpu: Gpu, fn: () => Promise<void>): Promise<number> {
  const device = gpu.device;
  const create = device.createBuffer;
  let largest = 0;
  device.createBuffer = (d: GPUBufferDescriptor) => {
    if (d.usage & STORAGE) largest = Math.max(largest, d.size);
    return create.call(device, d);
  };
  try {
    await fn();
  } finally {
    device.createBuffer = create;
  }
  return largest;
}

async function stepOnce(stepper: { count: number; step(): Promise<unknown>; dispose(): void }) {
  if (stepper.count > 0) await stepper.step();
  stepper.dispose();
}

const ssm = async (gpu: Gpu, p: ssmStage.SsmStageParams) => {
  const x = ssmStage.program.makeInputs(p, 7);
  const r = await ssmStage.program.run(gpu, p, x, { time: true, trace: true });
  const d =
    p.disc === 'zoh'
      ? [r.outputs.AbarZoh, r.outputs.BbarZoh]
      : [r.outputs.AbarBilinear, r.outputs.BbarBilinear];
  await stepOnce(await ssmStage.createStepper(gpu, p, { Abar: d[0], Bbar: d[1] }, x));
};

const rnn = async (gpu: Gpu, p: rnnStage.RnnStageParams) => {
  const x = rnnStage.program.makeInputs(p, 1);
  await rnnStage.program.run(gpu, p, x, { time: true, trace: true });
  await stepOnce(await rnnStage.createStepper(gpu, p, x));
};

const attention = async (gpu: Gpu, p: attentionStage.AttentionStageParams) => {
  const x = attentionStage.program.makeInputs(p, 1);
  await attentionStage.program.run(gpu, p, x, { time: true, trace: true });
  await attentionStage.measureDecodeCost(gpu, p, COST_LENGTHS, 1);
  await stepOnce(await attentionStage.createStepper(gpu, p, x));
};

const intro = async (gpu: Gpu, p: introStage.IntroStageParams) => {
  await introStage.program.run(gpu, p, introStage.program.makeInputs(p, 11), { time: true });
};

const ssmP = (L: number, N: number): ssmStage.SsmStageParams => ({
  L,
  N,
  dt: 0.1,
  disc: 'zoh',
  signal: 'step',
});
const rnnP = (H: number, d: number, text: string): rnnStage.RnnStageParams => ({
  text,
  H,
  d,
  eps: 1,
  t0: 0,
  bf: 1,
});
const attP = (d: number, h: number, hk: number, text: string, causal = true) => ({ text, d, h, hk, causal });

describe('largestBinding = the largest buffer a stage creates', () => {
  for (const [L, N] of [
    [256, 2],
    [8, 32],
    [100, 5],
    [256, 32],
  ])
    it(`ssm L=${L}, N=${N}`, async () => {
      const gpu = await testGpu();
      const p = ssmP(L, N);
      expect(ssmStage.largestBinding(p)).toBe(await largestCreated(gpu, () => ssm(gpu, p)));
    });

  for (const [H, d, T] of [
    [32, 2, 60],
    [2, 32, 1],
    [5, 7, 9],
  ])
    it(`rnn H=${H}, d=${d}, ${T} tokens`, async () => {
      const gpu = await testGpu();
      const p = rnnP(H, d, T === 1 ? 'a' : words(T));
      expect(rnnStage.largestBinding(p)).toBe(await largestCreated(gpu, () => rnn(gpu, p)));
    });

  for (const p of [
    attP(32, 8, 1, words(60)),
    attP(2, 1, 1, 'a'),
    attP(5, 2, 2, words(30), false),
    attP(2, 8, 1, words(60)),
  ])
    it(`attention d=${p.d}, h=${p.h}, h_k=${p.hk}, ${attentionStage.stageTokens(p.text).length} tokens`, async () => {
      const gpu = await testGpu();
      expect(attentionStage.largestBinding(p, COST_LENGTHS)).toBe(
        await largestCreated(gpu, () => attention(gpu, p)),
      );
    });

  for (const L of [1, 65, 129, 256])
    it(`intro L=${L}`, async () => {
      const gpu = await testGpu();
      const p = { L, text: introStage.DEFAULT_TEXT };
      expect(introStage.largestBinding(p, gpu.limits)).toBe(await largestCreated(gpu, () => intro(gpu, p)));
    });
});

describe('the engine agrees at a small binding limit', () => {
  it('ssm L=256, N=32 needs 32 KiB and fails under 16 KiB; L=128 needs 16 KiB and runs', async () => {
    const real = await testGpu();
    const small: Gpu = { ...real, limits: { ...real.limits, maxStorageBufferBindingSize: 16384 } };
    expect(ssmStage.largestBinding(ssmP(256, 32))).toBe(32768);
    await expect(ssm(small, ssmP(256, 32))).rejects.toThrow(/per binding/);
    expect(ssmStage.largestBinding(ssmP(128, 32))).toBe(16384);
    await ssm(small, ssmP(128, 32));
  });
});
