// The rnn stage's composite on Dawn/SwiftShader: GPU = float64 reference, the stepper's step t = the
// batched run's h_t (Elman and LSTM, both samples), the perturbation's causality and fading memory, the
// inputs it builds, its records and trace, buffers back to baseline, and the parameters it refuses.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import { bytesBy } from '../trace/events';
import { costPerToken, createStepper, program, type RnnStageParams, stageTokens, stepCount } from './rnn';
import { disposeMidStep, expectClose } from '../util/testing';

const TEXT = 'the cat sat on the mat because it was warm, and the sun was out';
const P: RnnStageParams = { text: TEXT, H: 8, d: 6, eps: 0.5, t0: 2 };
const TOL = program.tolerance;

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, what: string, rel = TOL) =>
  expectClose(got, want, rel, what);

/** Row t, (2, H), of a (T, 2, H) output. */
const rowAt = (a: ArrayLike<number>, t: number, H: number) =>
  Array.prototype.slice.call(a, 2 * t * H, 2 * (t + 1) * H) as number[];

describe('rnn stage program', () => {
  it('matches the float64 reference on the GPU in one submission of 4 dispatches, freeing every buffer', async () => {
    const gpu = await testGpu();
    const p = { ...P, H: 13, d: 5, bf: 2 };
    const x = program.makeInputs(p, 4);
    const before = gpu.liveBuffers.size;
    const run = await program.run(gpu, p, x);
    expect(gpu.liveBuffers.size).toBe(before);
    const want = program.reference(p, x);
    for (const k of Object.keys(want) as Array<keyof typeof want>) ok(run.outputs[k], want[k], k);
    // The input projections run over every step at once; each scan is one workgroup per sample, walking T.
    expect(run.dispatches.map((d) => d.label)).toEqual([
      'elmanRnn.inputProj',
      'elmanRnn.scan',
      'lstm.inputProj',
      'lstm.scan',
    ]);
    expect(run.dispatches[1].workgroups).toEqual([2, 1, 1]);
    expect(run.dispatches[3].workgroups).toEqual([2, 1, 1]);
  });

  it('changes no state before t0, changes h_t0, and the Elman RNN forgets faster than the LSTM (b_f = 2)', async () => {
    const gpu = await testGpu();
    const p = { ...P, H: 16, t0: 1, eps: 1, bf: 2 };
    const T = stageTokens(p).length;
    const { dh, dhLstm } = (await program.run(gpu, p, program.makeInputs(p, 1))).outputs;
    expect(dh[0]).toBe(0);
    expect(dhLstm[0]).toBe(0);
    expect(dh[1]).toBeGreaterThan(0.05);
    expect(dhLstm[1]).toBeGreaterThan(0.01);
    // What is left of the change at the end, relative to where it entered.
    const kept = (a: ArrayLike<number>) => a[T - 1] / a[1];
    expect(kept(dh)).toBeLessThan(0.01);
    expect(kept(dhLstm)).toBeGreaterThan(10 * kept(dh));
  });

  it('traces both cells in one capture: W_hh read once per step and sample, tensors named by program', async () => {
    const gpu = await testGpu();
    const p = { ...P, text: 'one two three four five', H: 4, d: 3 };
    const x = program.makeInputs(p, 2);
    const traced = await program.run(gpu, p, x, { trace: true });
    const plain = await program.run(gpu, p, x);
    expect(Array.from(traced.outputs.h)).toEqual(Array.from(plain.outputs.h));
    expect(traced.trace?.dropped).toBe(0);
    const bytes = bytesBy(traced.trace ?? { events: [], dropped: 0 });
    const rows = (gates: number) => 4 * 2 * 5 * 4 * gates * 4; // 4 B × 2 samples × T × (H, gates·H)
    expect(bytes['read:elmanRnn.WhhT']).toBe(rows(1));
    expect(bytes['read:lstm.WhhT']).toBe(rows(4));
    const elmanGroups = new Set(
      traced.trace?.events.filter((e) => e.tensor.startsWith('elmanRnn.')).map((e) => e.workgroup),
    );
    const lstmGroups =
      traced.trace?.events.filter((e) => e.tensor.startsWith('lstm.')).map((e) => e.workgroup) ?? [];
    expect(lstmGroups.some((w) => elmanGroups.has(w))).toBe(false);
  });

  it('builds the batch from the sentence: equal rows but at t0, moved there by exactly ε, b_f in the forget rows', () => {
    const p = { ...P, d: 7, H: 3, eps: 0.25, t0: 3, bf: 1.5 };
    const x = program.makeInputs(p, 9);
    const T = stageTokens(p).length;
    expect(x.tokens.slice(0, 4)).toEqual(['the', 'cat', 'sat', 'on']);
    expect(x.tokens).toContain(',');
    for (let t = 0; t < T; t++) {
      const a = x.x.subarray(2 * t * 7, (2 * t + 1) * 7);
      const b = x.x.subarray((2 * t + 1) * 7, (2 * t + 2) * 7);
      const dist = Math.hypot(...a.map((v, i) => b[i] - v));
      if (t === 3) expect(dist).toBeCloseTo(0.25, 6);
      else expect(dist).toBe(0);
    }
    const { bih, bhh } = x.lstm[0];
    expect(Array.from(bih?.subarray(3, 6) ?? [])).toEqual([1.5, 1.5, 1.5]);
    expect(Array.from(bhh?.subarray(3, 6) ?? [])).toEqual([0, 0, 0]);
    expect(Array.from(program.makeInputs(p, 9).x)).toEqual(Array.from(x.x));
    expect(Array.from(program.makeInputs(p, 10).x)).not.toEqual(Array.from(x.x));
  });

  it('refuses parameters outside the stage ranges, and inputs made for another text, naming what is wrong', async () => {
    const bad: Array<[Partial<RnnStageParams>, RegExp]> = [
      [{ text: ' \n ' }, /text must have/],
      [{ text: 3 as unknown as string }, /text must be a string/],
      [{ H: 0 }, /H must be/],
      [{ H: 65 }, /H must be/],
      [{ d: 2.5 }, /d must be/],
      [{ eps: -0.1 }, /eps must be/],
      [{ eps: Number.NaN }, /eps must be/],
      [{ t0: stageTokens(P).length }, /t0 must be/],
      [{ t0: -1 }, /t0 must be/],
      [{ bf: 9 }, /bf must be/],
    ];
    for (const [patch, msg] of bad) expect(() => program.makeInputs({ ...P, ...patch }, 1)).toThrow(msg);
    expect(() => program.makeInputs(P, -1)).toThrow(/seed must be/);
    expect(() => program.makeInputs(P, 1.5)).toThrow(/seed must be/);
    const other = { ...P, text: 'other words here', t0: 0 };
    expect(() => program.reference(other, program.makeInputs(P, 1))).toThrow(/other tokens/);
    await expect(createStepper(null, other, program.makeInputs(P, 1))).rejects.toThrow(/other tokens/);
  });

  it('keeps the first 64 tokens of a long sentence and counts one step per token', () => {
    expect(stepCount({ text: 'a '.repeat(100) })).toBe(64);
    expect(stepCount({ text: '你好，世界' })).toBe(5);
  });

  it('costs each token the same multiply-adds and state whatever t is: gates·H·(d + H), H or 2H', () => {
    expect(costPerToken({ H: 3, d: 2 })).toEqual({
      elman: { macs: 15, weights: 21, state: 3 },
      lstm: { macs: 60, weights: 84, state: 6 },
    });
  });
});

describe('rnn stage stepper', () => {
  for (const backend of ['webgpu', 'cpu'] as const) {
    it(`on ${backend}: step t equals the batched run's h_t (Elman, LSTM) and its distances; the last c is c_N`, async () => {
      const gpu = backend === 'webgpu' ? await testGpu() : null;
      const p = { ...P, text: 'a short sentence, read one token at a time', t0: 1 };
      const x = program.makeInputs(p, 5);
      const full = gpu ? (await program.run(gpu, p, x)).outputs : program.reference(p, x);
      const before = gpu?.liveBuffers.size ?? 0;
      const stepper = await createStepper(gpu, p, x);
      expect(stepper.backend).toBe(backend);
      expect(stepper.count).toBe(stepCount(p));
      const { H } = p;
      for (let t = 0; t < stepper.count; t++) {
        const s = await stepper.step();
        expect(s.t).toBe(t);
        ok(s.h, rowAt(full.h, t, H), `h at ${t}`, 1e-5);
        ok(s.lstmH, rowAt(full.lstmH, t, H), `lstm h at ${t}`, 1e-5);
        ok([s.dh, s.dhLstm], [full.dh[t], full.dhLstm[t]], `distances at ${t}`, 1e-5);
        expect(s.gates.length).toBe(2 * 4 * H);
        if (t === 0) expect(s.dc).toBe(0);
        if (t === stepper.count - 1) ok(s.c, full.cN, 'c_N', 1e-5);
      }
      await expect(stepper.step()).rejects.toThrow(/steps are done/);
      await stepper.reset();
      expect(stepper.k).toBe(0);
      ok((await stepper.step()).h, rowAt(full.h, 0, H), 'h after reset', 1e-5);
      stepper.dispose();
      if (gpu) expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('frees both cells only after a step in flight when disposed during it', async () => {
    const gpu = await testGpu();
    const p = { ...P, text: 'two words', t0: 1 };
    const x = program.makeInputs(p, 3);
    const before = gpu.liveBuffers.size;
    const first = await disposeMidStep(gpu, before, await createStepper(gpu, p, x));
    ok(first.h, rowAt(program.reference(p, x).h, 0, p.H), 'h_0');
  });
});
