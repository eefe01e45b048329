import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import {
  type AttentionStageParams,
  program as attentionStageProgram,
  scoreMemory,
  stageTokens,
} from './attention';
import { expectClose } from '../util/testing';

const TOL = attentionStageProgram.tolerance;
const ok = (got: ArrayLike<number>, want: ArrayLike<number>, rel = TOL) => expectClose(got, want, rel);
const base: AttentionStageParams = { text: 'the cat sat on the mat .', d: 8, h: 4, hk: 2, causal: true };

describe('attention stage program', () => {
  it('matches the CPU reference on the GPU for the reader’s sentence (L=7, d=8, h=4, h_k=2, causal) and frees every buffer', async () => {
    const gpu = await testGpu();
    const x = attentionStageProgram.makeInputs(base, 5);
    const before = gpu.liveBuffers.size;
    const run = await attentionStageProgram.run(gpu, base, x, { trace: true });
    const want = attentionStageProgram.reference(base, x);
    for (const key of Object.keys(want) as Array<keyof typeof want>) ok(run.outputs[key], want[key]);
    expect(gpu.liveBuffers.size).toBe(before);
    // S is −∞ exactly above the diagonal, and P's rows sum to 1 on every head.
    const L = 7;
    for (let hh = 0; hh < base.h; hh++)
      for (let i = 0; i < L; i++) {
        const row = Array.from(run.outputs.S.subarray((hh * L + i) * L, (hh * L + i + 1) * L));
        expect(row.map((s) => s === Number.NEGATIVE_INFINITY)).toEqual(row.map((_, j) => j > i));
        const P = Array.from(run.outputs.P.subarray((hh * L + i) * L, (hh * L + i + 1) * L));
        expect(P.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    // The trace holds naive attention's S writes: L² values per head.
    const sWrites = run.trace?.events.filter((e) => e.kind === 'write' && e.tensor === 'S') ?? [];
    expect(sWrites.reduce((n, e) => n + e.count, 0)).toBe(base.h * L * L);
  });

  it('has FlashAttention-2 equal naive attention, without the mask, on the GPU and on the CPU (h=2, h_k=1, d=16)', async () => {
    const gpu = await testGpu();
    const p: AttentionStageParams = { ...base, d: 16, h: 2, hk: 1, causal: false };
    const x = attentionStageProgram.makeInputs(p, 2);
    const run = await attentionStageProgram.run(gpu, p, x);
    ok(run.outputs.outFlash, run.outputs.out);
    const ref = attentionStageProgram.reference(p, x);
    ok(ref.outFlash, ref.out, 1e-12);
    // Without the mask the causal output is a separate run, equal to the masked reference.
    ok(run.outputs.outCausal, attentionStageProgram.reference({ ...p, causal: true }, x).out);
    expect(Array.from(run.outputs.S).some((s) => s === Number.NEGATIVE_INFINITY)).toBe(false);
    expect(run.dispatches.filter((d) => d.label === 'flashAttention.forward').length).toBe(2);
  });

  it('records the projections, then per head scores, softmax, the copies of S and P, PV, then FlashAttention-2', async () => {
    const gpu = await testGpu();
    const p: AttentionStageParams = { ...base, text: 'a b c', h: 2, hk: 1 };
    const run = await attentionStageProgram.run(gpu, p, attentionStageProgram.makeInputs(p, 1));
    const head = [
      'naiveAttention.scores',
      'naiveAttention.softmax',
      'strided.copy',
      'strided.copy',
      'naiveAttention.pv',
    ];
    expect(run.dispatches.map((d) => d.label)).toEqual([
      'matmul.tile',
      'matmul.tile',
      'matmul.tile',
      ...head,
      ...head,
      'flashAttention.forward',
    ]);
  });

  it('reads from the records that naive attention allocates 4·L² bytes each for S and P, growing as L² (L=4, 8)', async () => {
    const gpu = await testGpu();
    const at = async (text: string) => {
      const p = { ...base, text };
      return scoreMemory(await attentionStageProgram.run(gpu, p, attentionStageProgram.makeInputs(p, 1)));
    };
    const four = await at('one two three four');
    const eight = await at('one two three four five six seven eight');
    expect(four).toEqual({ S: 4 * 16, P: 4 * 16, source: 'records' });
    expect(eight).toEqual({ S: 4 * 64, P: 4 * 64, source: 'records' });
    const cpu = attentionStageProgram.reference(base, attentionStageProgram.makeInputs(base, 1));
    expect(scoreMemory({ dispatches: [], outputs: cpu })).toEqual({
      S: 8 * 4 * 49,
      P: 8 * 4 * 49,
      source: 'cpu-arrays',
    });
  });
});

describe('attention stage inputs and parameters', () => {
  it('gives a repeated word the same embedding and the same query, and keeps W_Q when h_k changes', () => {
    const x = attentionStageProgram.makeInputs(base, 5);
    expect(x.tokens).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat', '.']);
    const D = base.h * base.d;
    expect(Array.from(x.x.subarray(4 * D, 5 * D))).toEqual(Array.from(x.x.subarray(0, D)));
    expect(Array.from(x.x.subarray(D, 2 * D))).not.toEqual(Array.from(x.x.subarray(0, D)));
    const { q } = attentionStageProgram.reference(base, x);
    expect(Array.from(q.subarray(4 * D, 5 * D))).toEqual(Array.from(q.subarray(0, D)));
    const other = attentionStageProgram.makeInputs({ ...base, hk: 4 }, 5);
    expect(other.WQ).toEqual(x.WQ);
    expect(attentionStageProgram.makeInputs(base, 6).WQ).not.toEqual(x.WQ);
  });

  it('refuses parameters outside the stage ranges with a message naming the parameter', () => {
    const bad: Array<[Partial<AttentionStageParams>, RegExp]> = [
      [{ text: '' }, /text must/],
      [{ text: '   ' }, /text must/],
      [{ text: 3 as unknown as string }, /text must/],
      [{ d: 0 }, /d must be/],
      [{ d: 65 }, /d must be/],
      [{ d: 2.5 }, /d must be/],
      [{ h: 9 }, /h must be/],
      [{ hk: 0 }, /hk must be/],
      [{ h: 4, hk: 3 }, /hk must divide h/],
      [{ causal: 'yes' as unknown as boolean }, /causal must/],
    ];
    for (const [patch, msg] of bad)
      expect(() => attentionStageProgram.makeInputs({ ...base, ...patch }, 1)).toThrow(msg);
    expect(stageTokens('w '.repeat(100)).length).toBe(64);
    const x = attentionStageProgram.makeInputs(base, 1);
    expect(() => attentionStageProgram.reference({ ...base, text: 'the cat' }, x)).toThrow(/7 tokens/);
  });
});
