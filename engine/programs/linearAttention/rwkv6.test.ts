// RWKV-6 on the GPU: the recurrence equals the float64 reference, and the chunked form equals the recurrence
// (GPU and CPU) at odd sizes: T not a multiple of the chunk, K ≠ V, with and without S0, very strong decay
// (w ≈ −20) and very weak decay (w ≈ 0, some exactly 0).

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { type Rwkv6Shape, rwkv6Recurrent } from '../../reference/rwkv6';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { rwkv6ChunkedGpu } from './rwkv6Chunked';
import { makeRwkv6Inputs, rwkv6RecurrentGpu, rwkv6RecurrentProgram } from './rwkv6Recurrent';

const close = (got: ArrayLike<number>, want: ArrayLike<number>) => relCheck(got, want, 1e-4).ok;
const p: Rwkv6Shape = { B: 2, H: 3, T: 77, K: 5, V: 7 };

type Decay = 'strong' | 'weak' | 'rwkv';
/** Inputs with log decays w ≈ −20 (strong), in (−1e-3, 0] with a fifth exactly 0 (weak), or log σ (rwkv). */
function inputs(s: Rwkv6Shape, seed: number, decay: Decay, withInitialState: boolean) {
  const x = makeRwkv6Inputs({ ...s, withInitialState }, seed);
  const rng = new Rng(seed + 1);
  if (decay === 'strong') x.w = x.w.map(() => -20 + rng.uniform(-0.5, 0.5));
  if (decay === 'weak') x.w = x.w.map(() => (rng.next() < 0.2 ? 0 : -rng.uniform(0, 1e-3)));
  return x;
}
const reference = (s: Rwkv6Shape, x: ReturnType<typeof inputs>, scale?: number) =>
  rwkv6Recurrent(s, { ...x, s0: x.initialState }, scale);

describe('RWKV-6 recurrence on the GPU', () => {
  for (const decay of ['strong', 'weak', 'rwkv'] as const)
    for (const s0 of [false, true])
      it(`equals the float64 reference at B=2 H=3 T=77 K=5 V=7 (${decay} decay${s0 ? ', with S0' : ''})`, async () => {
        const gpu = await testGpu();
        const x = inputs(p, 3, decay, s0);
        const before = gpu.liveBuffers.size;
        const r = await rwkv6RecurrentGpu(gpu, p, x);
        const want = reference(p, x);
        expect(close(r.o, want.o), 'o').toBe(true);
        expect(close(r.finalState, want.finalState), 'final state').toBe(true);
        expect(gpu.liveBuffers.size).toBe(before);
      });

  it('a 64×64 head with more value columns than one workgroup (V = 70) and scale 1 matches too', async () => {
    const gpu = await testGpu();
    const s: Rwkv6Shape = { B: 1, H: 2, T: 45, K: 64, V: 70 };
    const x = inputs(s, 4, 'rwkv', true);
    const r = await rwkv6RecurrentGpu(gpu, s, x, { scale: 1 });
    const want = reference(s, x, 1);
    expect(close(r.o, want.o) && close(r.finalState, want.finalState)).toBe(true);
  });

  it('the program runs both backends on its seeded inputs within its tolerance', async () => {
    const gpu = await testGpu();
    const s = { B: 1, H: 2, T: 19, K: 3, V: 4, withInitialState: true };
    const x = rwkv6RecurrentProgram.makeInputs(s, 9);
    const got = await rwkv6RecurrentProgram.run(gpu, s, x);
    const want = rwkv6RecurrentProgram.reference(s, x);
    expect(relCheck(got.outputs.o, want.o, rwkv6RecurrentProgram.tolerance).ok).toBe(true);
    expect(got.dispatches.map((d) => d.label)).toEqual(['rwkv6Recurrent.scan']);
  });

  it('rejects inputs of the wrong length with a clear error', async () => {
    const gpu = await testGpu();
    const x = inputs(p, 5, 'rwkv', false);
    await expect(rwkv6RecurrentGpu(gpu, p, { ...x, u: new Float32Array(3) })).rejects.toThrow(
      /u has 3 values, want 15/,
    );
  });
});

describe('RWKV-6 chunked form = recurrence', () => {
  for (const decay of ['strong', 'weak', 'rwkv'] as const)
    for (const s0 of [false, true])
      it(`at B=2 H=3 T=77 K=5 V=7, chunks 16 and 32 (${decay} decay${s0 ? ', with S0' : ''})`, async () => {
        const gpu = await testGpu();
        const x = inputs(p, 6, decay, s0);
        const rec = await rwkv6RecurrentGpu(gpu, p, x, { scale: 0.7 });
        const want = reference(p, x, 0.7);
        for (const chunk of [16, 32]) {
          const before = gpu.liveBuffers.size;
          const ch = await rwkv6ChunkedGpu(gpu, p, x, { scale: 0.7, chunk });
          expect(close(ch.o, rec.o) && close(ch.o, want.o), `o, chunk ${chunk}`).toBe(true);
          expect(close(ch.finalState, rec.finalState) && close(ch.finalState, want.finalState)).toBe(true);
          expect(gpu.liveBuffers.size).toBe(before);
        }
      });

  it('one chunk longer than T, chunk 1, and a 64×64 head at T=150 (chunk 64) all equal the recurrence', async () => {
    const gpu = await testGpu();
    const small: Rwkv6Shape = { B: 1, H: 2, T: 13, K: 4, V: 3 };
    const xs = inputs(small, 7, 'rwkv', true);
    const want = reference(small, xs);
    for (const chunk of [1, 64]) {
      const ch = await rwkv6ChunkedGpu(gpu, small, xs, { chunk });
      expect(close(ch.o, want.o) && close(ch.finalState, want.finalState), `chunk ${chunk}`).toBe(true);
    }
    const big: Rwkv6Shape = { B: 1, H: 1, T: 150, K: 64, V: 64 };
    const xb = inputs(big, 8, 'rwkv', false);
    const ch = await rwkv6ChunkedGpu(gpu, big, xb, { chunk: 64 });
    const rec = await rwkv6RecurrentGpu(gpu, big, xb);
    expect(close(ch.o, rec.o) && close(ch.finalState, rec.finalState)).toBe(true);
  });
});
