// Each stage's fit against what the engine really allocates on Dawn: the largest binding the fit computes
// equals the largest storage buffer that the stage's run, its stepper and a step create, across corners and
// the inside of each stage's size ranges; and params clamped for a small binding limit run under that limit
// where the asked ones fail in the engine.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../engine';
import { testGpu } from '../../engine/node/testGpu';
import { findBuiltStage } from '../stages/registry';
import { defaultParams, type ParamValues } from '../stages/types';

const STORAGE = 0x80;
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i % 10}`).join(' ');
const huge = { maxStorageBufferBindingSize: 2 ** 40, maxBufferSize: 2 ** 40 };

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

/** The run, the stepper and its first step of a stage at params p, as the session does them. */
async function runStage(gpu: Gpu, id: string, p: ParamValues): Promise<void> {
  const rt = stageOf(id).runtime;
  const result = await rt.run(gpu, p);
  const stepper = await rt.createStepper(gpu, p, result);
  if (stepper.count > 0) await stepper.step();
  stepper.dispose();
}

function stageOf(id: string) {
  const stage = findBuiltStage(id);
  if (!stage) throw new Error(`no stage ${id}`);
  return stage;
}

const needs = (id: string, p: ParamValues): number => {
  const fit = stageOf(id).runtime.fit?.(p, huge);
  if (!fit) throw new Error(`${id} has no fit`);
  return fit.needed;
};

const cases: Array<[string, Record<string, string | number>]> = [
  ['ssm', { L: 256, N: 2 }],
  ['ssm', { L: 8, N: 32 }],
  ['ssm', { L: 100, N: 5 }],
  ['ssm', { L: 256, N: 32 }],
  ['rnn', { H: 32, d: 2, text: words(60) }],
  ['rnn', { H: 2, d: 32, text: 'a' }],
  ['rnn', { H: 5, d: 7, text: words(9) }],
  ['attention', { d: 32, h: '8', hk: '1', text: words(60) }],
  ['attention', { d: 2, h: '1', hk: '1', text: 'a' }],
  ['attention', { d: 5, h: '2', hk: '8', text: words(30), causal: 'off' }],
  ['attention', { d: 2, h: '8', hk: '1', text: words(60) }],
  ['intro', { L: 1 }],
  ['intro', { L: 65 }],
  ['intro', { L: 129 }],
  ['intro', { L: 256 }],
];

describe('the largest binding each stage needs', () => {
  for (const [id, pt] of cases)
    it(`${id} ${JSON.stringify(pt).slice(0, 40)}: the fit's bytes = the largest buffer the run and stepper create`, async () => {
      const gpu = await testGpu();
      const p = { ...defaultParams(stageOf(id).params), ...pt };
      expect(needs(id, p)).toBe(await largestCreated(gpu, () => runStage(gpu, id, p)));
    });
});

describe('a binding limit smaller than the asked sizes need', () => {
  it('ssm L=256, N=32 fails in the engine under a 16 KiB limit; the fitted L=128 runs under it', async () => {
    const real = await testGpu();
    const limits = { ...real.limits, maxStorageBufferBindingSize: 16384 };
    const small: Gpu = { ...real, limits };
    const asked = { ...defaultParams(stageOf('ssm').params), L: 256, N: 32 };
    await expect(runStage(small, 'ssm', asked)).rejects.toThrow(/per binding/);
    const fit = stageOf('ssm').runtime.fit?.(asked, limits);
    expect(fit?.clamped).toEqual([{ key: 'L', asked: 256, shown: 128 }]);
    expect(fit?.needed).toBe(32768);
    expect(fit?.allowed).toBe(16384);
    await runStage(small, 'ssm', fit?.params ?? asked);
  });
});
