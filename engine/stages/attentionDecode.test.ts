import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import {
  type AttentionStageParams,
  createStepper,
  type DecodeStep,
  measureDecodeCost,
  program as attentionStageProgram,
  stepCount,
} from './attention';
import { disposeMidStep, expectClose } from '../util/testing';

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-4) => expectClose(got, want, rel);
const rows = (a: ArrayLike<number>, from: number, to: number) => Array.from(a).slice(from, to);

describe('attention decode stepper', () => {
  for (const backend of ['webgpu', 'cpu'] as const)
    for (const causal of [true, false])
      it(`on ${backend}, causal ${causal}: step t's output, weights and K/V row equal row t of the batched causal run (L=6, h=4, h_k=2, d=8)`, async () => {
        const gpu = backend === 'webgpu' ? await testGpu() : null;
        const p: AttentionStageParams = { text: 'to be or not to be', d: 8, h: 4, hk: 2, causal };
        const x = attentionStageProgram.makeInputs(p, 3);
        const L = 6;
        const batched = attentionStageProgram.reference(p, x);
        const masked = attentionStageProgram.reference({ ...p, causal: true }, x);
        const before = gpu?.liveBuffers.size ?? 0;
        const stepper = await createStepper(gpu, p, x);
        expect(stepper.backend).toBe(backend);
        expect(stepper.count).toBe(stepCount(p));
        const steps: DecodeStep[] = [];
        for (let t = 0; t < L; t++) steps.push(await stepper.step());
        const nq = p.h * p.d;
        const nkv = p.hk * p.d;
        steps.forEach((s, t) => {
          expect([s.t, s.token, s.cacheLen, s.cacheBytes]).toEqual([
            t,
            x.tokens[t],
            t + 1,
            2 * (t + 1) * nkv * 4,
          ]);
          ok(s.out, rows(batched.outCausal, t * nq, (t + 1) * nq));
          ok(s.k, rows(batched.k, t * nkv, (t + 1) * nkv));
          ok(s.v, rows(batched.v, t * nkv, (t + 1) * nkv));
          ok(s.q, rows(batched.q, t * nq, (t + 1) * nq));
          for (let hh = 0; hh < p.h; hh++) {
            const at = (hh * L + t) * L;
            ok(rows(s.weights, hh * (t + 1), (hh + 1) * (t + 1)), rows(masked.P, at, at + t + 1));
          }
          expect(Number.isFinite(s.ms) && s.ms >= 0).toBe(true);
          expect(s.dispatches.length).toBe(backend === 'webgpu' ? 3 + 4 * p.h : 0);
        });
        await expect(stepper.step()).rejects.toThrow(/steps are done/);
        await stepper.reset();
        ok((await stepper.step()).out, steps[0].out, 1e-6);
        stepper.dispose();
        if (gpu) expect(gpu.liveBuffers.size).toBe(before);
      });

  it('names its clock: GPU timestamps where the device has them, else the awaited wall time; CPU time on the CPU', async () => {
    const gpu = await testGpu();
    const p: AttentionStageParams = { text: 'a b', d: 4, h: 1, hk: 1, causal: true };
    const x = attentionStageProgram.makeInputs(p, 1);
    const g = await createStepper(gpu, p, x);
    expect((await g.step()).clock).toBe(gpu.features.timestampQuery ? 'gpu-timestamp' : 'gpu-wall');
    g.dispose();
    const c = await createStepper(null, p, x);
    expect((await c.step()).clock).toBe('cpu-wall');
  });

  it('binds a scores slice of t + 1 keys at step t (buffers rounded up to 16 bytes): it grows with the cache', async () => {
    const gpu = await testGpu();
    const p: AttentionStageParams = { text: 'a b c d e f g h i', d: 4, h: 2, hk: 1, causal: true };
    const stepper = await createStepper(gpu, p, attentionStageProgram.makeInputs(p, 1));
    const bytes: number[] = [];
    for (let t = 0; t < 9; t++) {
      const s = await stepper.step();
      const scores = s.dispatches.find((d) => d.label === 'naiveAttention.scores');
      bytes.push(scores?.bindings.find((b) => b.name === 'S')?.bytes ?? 0);
    }
    expect(bytes).toEqual([16, 16, 16, 16, 32, 32, 32, 32, 48]);
    stepper.dispose();
  });

  it('frees its buffers only after a step in flight when disposed during it, and then refuses to step', async () => {
    const gpu = await testGpu();
    const p: AttentionStageParams = { text: 'x y z', d: 4, h: 2, hk: 2, causal: true };
    const x = attentionStageProgram.makeInputs(p, 2);
    const before = gpu.liveBuffers.size;
    const first = await disposeMidStep(gpu, before, await createStepper(gpu, p, x));
    ok(first.out, rows(attentionStageProgram.reference(p, x).out, 0, p.h * p.d));
  });
});

describe('measured decode cost', () => {
  it('times one decode step at each cache length: longer caches cost more, on the GPU and on the CPU (N=16, 8192)', async () => {
    const gpu = await testGpu();
    const p = { d: 16, h: 2, hk: 1 };
    for (const g of [gpu, null]) {
      const [short, long] = await measureDecodeCost(g, p, [16, 8192], 3);
      expect(short.clock).toBe(g ? (gpu.features.timestampQuery ? 'gpu-timestamp' : 'gpu-wall') : 'cpu-wall');
      expect([short.N, short.cacheBytes, short.macs]).toEqual([16, 2 * 16 * 16 * 4, 2 * 2 * 16 * 16]);
      expect(long.cacheBytes / short.cacheBytes).toBe(512);
      expect(long.ms).toBeGreaterThan(short.ms);
    }
  });

  it('refuses a sweep outside its limits, naming what is wrong', async () => {
    const p = { d: 16, h: 2, hk: 1 };
    await expect(measureDecodeCost(null, p, [])).rejects.toThrow(/lengths must/);
    await expect(measureDecodeCost(null, p, [0])).rejects.toThrow(/cache length N/);
    await expect(measureDecodeCost(null, p, [16385])).rejects.toThrow(/cache length N/);
    await expect(measureDecodeCost(null, p, [8], 0)).rejects.toThrow(/repeats/);
    await expect(measureDecodeCost(null, { ...p, hk: 3 }, [8])).rejects.toThrow(/hk must/);
  });
});
