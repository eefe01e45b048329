import { describe, expect, it } from 'vitest';
import type { DispatchRecord } from '../gpu/kernel';
import { testGpu } from '../node/testGpu';
import {
  createStepper,
  type IntroStageParams,
  type IntroStageOutputs,
  MODELS,
  program,
  stepCount,
  tokenFormula,
  trainFormula,
  validateIntroStageParams,
} from './intro';
import { measureToken, seqSteps } from './introFigures';
import { W } from './introModels';
import { trainGpu } from './introTrain';
import { disposeMidStep, expectClose } from '../util/testing';

const TEXT = 'the cat sat on the mat';
const rows = (a: ArrayLike<number>, i: number, n: number) => Array.from(a).slice(i * n, (i + 1) * n);
const ok = (got: ArrayLike<number>, want: ArrayLike<number>, what: string, rel = program.tolerance) =>
  expectClose(got, want, rel, what);

/** The first dot-separated part of every record's label, in order, deduplicated. */
const labelHeads = (records: readonly DispatchRecord[]) => [
  ...new Set(records.map((r) => r.label.split('.')[0])),
];

let shared: Promise<{
  p: IntroStageParams;
  x: ReturnType<typeof program.makeInputs>;
  out: IntroStageOutputs;
  records: DispatchRecord[];
}> | null = null;
/** One GPU run at L = 37 (three chunks of 16, the last short), shared by the tests that read it. */
function run37() {
  shared ??= (async () => {
    const gpu = await testGpu();
    const p = { L: 37, text: TEXT };
    const x = program.makeInputs(p, 4);
    const before = gpu.liveBuffers.size;
    const r = await program.run(gpu, p, x);
    expect(gpu.liveBuffers.size).toBe(before);
    return { p, x, out: r.outputs, records: r.dispatches };
  })();
  return shared;
}

describe('intro stage program', () => {
  it('matches the CPU reference on the GPU for L=37: both forms of all six models, every figure exactly', async () => {
    const { p, x, out } = await run37();
    const ref = program.reference(p, x);
    const n = p.L * W.d;
    MODELS.forEach((m, i) => {
      ok(rows(out.yTrain, i, n), rows(ref.yTrain, i, n), `${m} training form`);
      ok(rows(out.yDecode, i, n), rows(ref.yDecode, i, n), `${m} generated tokens`);
    });
    // GPU figures are measured from records and traces; the CPU's are the closed forms.
    for (const key of [
      'trainDispatches',
      'seqSteps',
      'decodeDispatches',
      'tokenBytes',
      'stateBytes',
      'stateFloats',
    ] as const)
      expect(Array.from(out[key]), key).toEqual(Array.from(ref[key]));
  });

  it('generates every position one token at a time as the training form computes it at once (GPU and CPU, L=37)', async () => {
    const { p, x, out } = await run37();
    const ref = program.reference(p, x);
    const n = p.L * W.d;
    MODELS.forEach((m, i) => {
      ok(rows(out.yDecode, i, n), rows(out.yTrain, i, n), `${m} on the GPU`);
      ok(rows(ref.yDecode, i, n), rows(ref.yTrain, i, n), `${m} on the CPU`, 1e-6);
    });
  });

  it('binds exactly the state it reads back at every token: 4 bytes a float, the KV cache growing by 2d floats a token', async () => {
    const { p, out } = await run37();
    expect(Array.from(out.stateBytes)).toEqual(Array.from(out.stateFloats, (f) => 4 * f));
    MODELS.forEach((m, i) => {
      const held = rows(out.stateFloats, i, p.L);
      if (m === 'attention') expect(held).toEqual(Array.from({ length: p.L }, (_, t) => 2 * (t + 1) * W.d));
      else expect(new Set(held).size, m).toBe(1);
    });
  });

  it('records which programs ran for each model: training kernels, then the last token decode kernels', async () => {
    const { records } = await run37();
    expect(labelHeads(records)).toEqual([
      'elmanRnn',
      'rnnStep',
      'flashAttention',
      'flashDecoding',
      'linearAttentionChunked',
      'linearAttentionStepper',
      's4dKernel',
      'fftConv',
      'diagScan',
      'selectiveScanChunked',
      'selectiveStateUpdate',
      'mamba2',
      'ssd',
    ]);
  });

  it('counts the training forms dispatches and state steps from their records and traces as the closed forms say, L = 1, 16, 17, 64', async () => {
    const gpu = await testGpu();
    for (const L of [1, 16, 17, 64]) {
      const runs = await trainGpu(gpu, L, program.makeInputs({ L, text: TEXT }, 2));
      for (const m of MODELS) {
        const got = { dispatches: runs[m].dispatches.length, seqSteps: seqSteps(m, runs[m].trace) };
        expect(got, `${m} at L=${L}`).toEqual(trainFormula(m, L));
      }
    }
  });

  it('refuses parameters outside the stage ranges with a message naming the parameter', () => {
    const bad: Array<[Partial<IntroStageParams>, RegExp]> = [
      [{ L: 0 }, /L must be/],
      [{ L: 257 }, /L must be/],
      [{ L: 3.5 }, /L must be/],
      [{ text: '' }, /text must be/],
      [{ text: '   ' }, /text must be/],
      [{ text: 'a'.repeat(201) }, /text must be/],
      [{ text: 5 as unknown as string }, /text must be/],
    ];
    for (const [patch, msg] of bad) {
      expect(() => validateIntroStageParams({ L: 8, text: TEXT, ...patch })).toThrow(msg);
      expect(() => program.makeInputs({ L: 8, text: TEXT, ...patch }, 1)).toThrow(msg);
    }
    const x = program.makeInputs({ L: 8, text: TEXT }, 1);
    expect(() => program.reference({ L: 9, text: TEXT }, x)).toThrow(/inputs are for L=8/);
  });

  it('cycles the sentence tokens to fill L and gives the same vectors to the same token', () => {
    const x = program.makeInputs({ L: 9, text: 'Ab, cd' }, 3);
    expect(x.tokens).toEqual(['ab', ',', 'cd', 'ab', ',', 'cd', 'ab', ',', 'cd']);
    expect(rows(x.x, 3, W.d)).toEqual(rows(x.x, 0, W.d));
    expect(rows(x.q, 4, W.d)).toEqual(rows(x.q, 1, W.d));
    expect(rows(x.q, 0, W.d)).not.toEqual(rows(x.k, 0, W.d));
    expect(program.makeInputs({ L: 9, text: 'Ab, cd' }, 3).mamba).toEqual(x.mamba);
  });
});

describe('intro stepper', () => {
  for (const backend of ['webgpu', 'cpu'] as const) {
    it(`on ${backend} gives at step k position k of the batched training run (L=37), then resets and refuses step L+1`, async () => {
      const { p, x, out } = await run37();
      const gpu = backend === 'webgpu' ? await testGpu() : null;
      const before = gpu?.liveBuffers.size ?? 0;
      const stepper = await createStepper(gpu, p, x);
      expect([stepper.backend, stepper.count]).toEqual([backend, stepCount(p)]);
      const first = await stepper.step();
      for (let k = 1; k < p.L; k++) {
        const s = await stepper.step();
        expect(s.t).toBe(k);
        MODELS.forEach((m, i) => {
          ok(s.y[m], rows(out.yTrain, i * p.L + k, W.d), `${m} at k=${k}`);
          expect(s.stateBytes[m]).toBe(tokenFormula(m, k).stateBytes);
          if (gpu) expect(measureToken(m, s.dispatches[m])).toEqual(tokenFormula(m, k));
        });
      }
      await expect(stepper.step()).rejects.toThrow(/steps are done/);
      await stepper.reset();
      const again = await stepper.step();
      for (const m of MODELS) expect(Array.from(again.y[m])).toEqual(Array.from(first.y[m]));
      stepper.dispose();
      if (gpu) expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('frees its buffers only after a step in flight when disposed during it, and then refuses to step', async () => {
    const gpu = await testGpu();
    const p = { L: 4, text: TEXT };
    const x = program.makeInputs(p, 5);
    const before = gpu.liveBuffers.size;
    const stepper = await createStepper(gpu, p, x);
    await stepper.step();
    expect((await disposeMidStep(gpu, before, stepper)).t).toBe(1);
  });
});
