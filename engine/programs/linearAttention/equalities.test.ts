// The equalities the linear-attention stage claims, on the GPU at odd sizes: chunked = recurrent = parallel
// for linear attention and simple GLA, RetNet = simple GLA with g = log γ_h, GLA against its reference.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import {
  glaRecurrent,
  headMajorToTimeMajor,
  retentionGammas,
  simpleGlaChunked,
  simpleGlaParallel,
  simpleGlaRecurrent,
  timeMajorToHeadMajor,
} from '../../reference/gla';
import {
  decayedRecurrent,
  type LaShape,
  linearAttentionChunked,
  linearAttentionParallel,
  linearAttentionRecurrent,
} from '../../reference/linearAttention';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { glaRecurrentProgram } from './glaRecurrent';
import { laChunkedGpu } from './linearAttentionChunked';
import { laParallelGpu } from './linearAttentionParallel';
import { laRecurrentGpu } from './linearAttentionRecurrent';
import { retentionParallelGpu } from './retentionParallel';
import { makeSimpleGlaInputs } from './simpleGla';

const p: LaShape = { B: 2, T: 203, H: 3, K: 5, V: 7 };
const TOL = 1e-4;
const close = (got: ArrayLike<number>, want: ArrayLike<number>) => relCheck(got, want, TOL).ok;

function inputs(seed: number) {
  return makeSimpleGlaInputs({ ...p, withInitialState: true, gMin: -0.4 }, seed);
}

describe('linear attention forms on the GPU', () => {
  it('chunked linear attention equals the recurrence at T=203 for chunk 16 and 64, with an initial state', async () => {
    const gpu = await testGpu();
    const x = { ...inputs(1), g: null };
    const rec = await laRecurrentGpu(gpu, p, x, { scale: 0.5 });
    const want = linearAttentionRecurrent(p, x, 0.5);
    expect(close(rec.o, want.o) && close(rec.finalState, want.finalState)).toBe(true);
    for (const chunk of [16, 64]) {
      const before = gpu.liveBuffers.size;
      const ch = await laChunkedGpu(gpu, p, x, { scale: 0.5, chunk });
      expect(close(ch.o, rec.o), `o, chunk ${chunk}`).toBe(true);
      expect(close(ch.finalState, rec.finalState), `S_T, chunk ${chunk}`).toBe(true);
      expect(gpu.liveBuffers.size).toBe(before);
    }
  });

  it('the quadratic form equals the recurrence for linear attention at T=203 (default scale K^-0.5)', async () => {
    const gpu = await testGpu();
    const x = { ...inputs(2), g: null, initialState: null };
    const par = await laParallelGpu(gpu, p, x);
    const rec = await laRecurrentGpu(gpu, p, x);
    expect(close(par.o, rec.o)).toBe(true);
    expect(close(par.o, linearAttentionParallel(p, x))).toBe(true);
  });

  it('normalized linear attention matches the reference in all three forms', async () => {
    const gpu = await testGpu();
    const x = { ...inputs(3), g: null, initialState: null };
    const small = { ...p, T: 61 };
    const xs = {
      q: x.q.slice(0, small.B * small.T * small.H * small.K).map(Math.abs),
      k: x.k.slice(0, small.B * small.T * small.H * small.K).map(Math.abs),
      v: x.v.slice(0, small.B * small.T * small.H * small.V),
    };
    const want = linearAttentionRecurrent(small, xs, 1, true);
    const rec = await laRecurrentGpu(gpu, small, xs, { scale: 1, normalize: true });
    const ch = await laChunkedGpu(gpu, small, xs, { scale: 1, normalize: true, chunk: 16 });
    const par = await laParallelGpu(gpu, small, xs, { scale: 1, normalize: true });
    for (const got of [rec.o, ch.o, par.o]) expect(close(got, want.o)).toBe(true);
    expect(close(ch.finalState, want.finalState)).toBe(true);
    expect(close(linearAttentionChunked(small, xs, 16, 1, true).o, want.o)).toBe(true);
  });

  it('simple GLA: chunked (16, 64) = recurrent = parallel at T=203, and attn is lower-triangular', async () => {
    const gpu = await testGpu();
    const x = inputs(4);
    const rec = await laRecurrentGpu(gpu, p, x, { scale: 0.5 });
    const want = simpleGlaRecurrent(p, x, 0.5);
    expect(close(rec.o, want.o) && close(rec.finalState, want.finalState)).toBe(true);
    for (const chunk of [16, 64]) {
      const ch = await laChunkedGpu(gpu, p, x, { scale: 0.5, chunk });
      expect(close(ch.o, rec.o) && close(ch.finalState, rec.finalState), `chunk ${chunk}`).toBe(true);
    }
    const x0 = { ...x, initialState: null };
    const par = await laParallelGpu(gpu, p, x0, { scale: 0.5, attn: true });
    const rec0 = await laRecurrentGpu(gpu, p, x0, { scale: 0.5 });
    expect(close(par.o, rec0.o)).toBe(true);
    const ref = simpleGlaParallel(p, x0, 0.5);
    expect(close(par.attn ?? [], ref.attn)).toBe(true);
    const { T } = p;
    let above = 0;
    for (let i = 0; i < p.B * p.H * T * T; i++)
      if (i % T > Math.floor(i / T) % T) above += Math.abs(par.attn?.[i] ?? 1);
    expect(above).toBe(0);
  });

  it('simple GLA with strong decay over T=700 keeps e^{G_t − G_s} accurate in the parallel and chunked forms', async () => {
    const gpu = await testGpu();
    const q = { B: 1, T: 700, H: 2, K: 4, V: 3 };
    const x = makeSimpleGlaInputs({ ...q, gMin: -0.05 }, 5);
    const want = simpleGlaRecurrent(q, x, 1);
    const par = await laParallelGpu(gpu, q, x, { scale: 1 });
    const ch = await laChunkedGpu(gpu, q, x, { scale: 1, chunk: 64 });
    expect(close(par.o, want.o)).toBe(true);
    expect(close(ch.o, want.o) && close(ch.finalState, want.finalState)).toBe(true);
    expect(close(simpleGlaChunked(q, x, 64, 1).o, want.o)).toBe(true);
  });

  it('RetNet retention equals simple GLA with g = log γ_h (layout (b,h,t,d))', async () => {
    const gpu = await testGpu();
    const q = { B: 2, T: 150, H: 3, K: 6, V: 5 };
    const rng = new Rng(6);
    const hm = {
      q: rng.normals(2 * 3 * 150 * 6),
      k: rng.normals(2 * 3 * 150 * 6),
      v: rng.normals(2 * 3 * 150 * 5),
    };
    const ret = await retentionParallelGpu(gpu, q, hm);
    const gam = retentionGammas(q.H);
    const g = Float32Array.from({ length: q.B * q.T * q.H }, (_, i) => Math.log(gam[i % q.H]));
    const tm = (a: Float32Array, d: number) => Float32Array.from(headMajorToTimeMajor(a, q.B, q.H, q.T, d));
    const gla = decayedRecurrent(q, { q: tm(hm.q, 6), k: tm(hm.k, 6), v: tm(hm.v, 5), g }, 1 / Math.sqrt(6));
    expect(close(ret.o, timeMajorToHeadMajor(gla.o, q.B, q.H, q.T, q.V))).toBe(true);
  });

  it('GLA (vector gate over K) on the GPU matches its reference at T=203 with an initial state', async () => {
    const gpu = await testGpu();
    const gp = { ...p, withInitialState: true };
    const x = glaRecurrentProgram.makeInputs(gp, 7);
    const got = await glaRecurrentProgram.run(gpu, gp, x);
    const want = glaRecurrent(p, x);
    expect(close(got.outputs.o, want.o) && close(got.outputs.finalState, want.finalState)).toBe(true);
  });

  it('the float64 chunked and parallel references equal the recurrence to 1e-10', () => {
    const q = { B: 1, T: 37, H: 2, K: 3, V: 4 };
    const x = makeSimpleGlaInputs({ ...q, withInitialState: true }, 8);
    const rec = simpleGlaRecurrent(q, x, 0.7);
    const ch = simpleGlaChunked(q, x, 8, 0.7);
    expect(relCheck(ch.o, rec.o, 1e-10).ok && relCheck(ch.finalState, rec.finalState, 1e-10).ok).toBe(true);
    const par = simpleGlaParallel(q, x, 0.7);
    const rec0 = simpleGlaRecurrent(q, { ...x, initialState: null }, 0.7);
    expect(relCheck(par.o, rec0.o, 1e-10).ok).toBe(true);
  });

  it('rejects inconsistent shapes and a bad chunk with a clear message, leaking nothing', async () => {
    const gpu = await testGpu();
    const x = { ...inputs(9), g: null };
    const before = gpu.liveBuffers.size;
    await expect(laChunkedGpu(gpu, p, x, { chunk: 0 })).rejects.toThrow(/chunk must be a positive integer/);
    await expect(laRecurrentGpu(gpu, { ...p, V: 8 }, x)).rejects.toThrow(/v has .* values, want/);
    await expect(laParallelGpu(gpu, { ...p, T: 0 }, x)).rejects.toThrow(/T must be a positive integer/);
    expect(gpu.liveBuffers.size).toBe(before);
  });
});
