import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { segsum, ssdRecurrent } from '../../reference/ssd';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { segsumGpu } from './segsum';
import { makeSsdInputs, ssdChunkedGpu } from './ssdChunked';
import { ssdQuadraticGpu } from './ssdQuadratic';
import { ssdRecurrentGpu } from './ssdRecurrent';

const TOL = 1e-4;
const ok = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  const r = relCheck(got, want, TOL);
  expect(r.err, `max error ${r.err} > ${r.bound}`).toBeLessThanOrEqual(r.bound);
};

describe('chunked SSD on the GPU', () => {
  for (const [Q, withInit] of [
    [64, false],
    [64, true],
    [17, false],
    [17, true],
  ] as const) {
    it(`chunked SSD equals the recurrence (GPU and CPU) for b=2, T=300, h=3, p=5, n=7, chunk=${Q}, initial state ${withInit}`, async () => {
      const gpu = await testGpu();
      const p = { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q, withInit };
      const x = makeSsdInputs(p, 100 + Q);
      const before = gpu.liveBuffers.size;
      const ch = await ssdChunkedGpu(gpu, p, x);
      expect(gpu.liveBuffers.size).toBe(before);
      const rec = await ssdRecurrentGpu(gpu, p, x);
      const cpu = ssdRecurrent(p, x);
      ok(ch.Y, cpu.Y);
      ok(ch.finalState, cpu.finalState);
      ok(rec.Y, cpu.Y);
      ok(rec.finalState, cpu.finalState);
      ok(ch.Y, rec.Y);
    });
  }

  it('the quadratic form on the GPU equals the chunked form and the recurrence for T=300, h=3, p=5, n=7', async () => {
    const gpu = await testGpu();
    const p = { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q: 64 };
    const x = makeSsdInputs(p, 7);
    const quad = await ssdQuadraticGpu(gpu, p, x);
    ok(quad.Y, ssdRecurrent(p, x).Y);
    ok(quad.Y, (await ssdChunkedGpu(gpu, p, x)).Y);
  });

  it('groups, P and N wider than one tile (H=4, G=2, P=70, N=40, T=45, chunk=20) match the recurrence', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 45, H: 4, P: 70, N: 40, G: 2, Q: 20, withInit: true };
    const x = makeSsdInputs(p, 3);
    const cpu = ssdRecurrent(p, x);
    const ch = await ssdChunkedGpu(gpu, p, x);
    ok(ch.Y, cpu.Y);
    ok(ch.finalState, cpu.finalState);
    ok((await ssdRecurrentGpu(gpu, p, x)).Y, cpu.Y);
  });

  it('a 256-long chunk with strongly negative A·Δ stays finite and matches the recurrence (T=520)', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 520, H: 2, P: 4, N: 8, G: 1, Q: 256, withInit: true };
    const x = makeSsdInputs(p, 8);
    const rng = new Rng(8);
    x.A = Float32Array.from(x.A, (_, i) => (i % 50 === 0 ? -0.01 : rng.uniform(-6, -2)));
    const got = await ssdChunkedGpu(gpu, p, x);
    expect(got.Y.every(Number.isFinite)).toBe(true);
    expect(got.finalState.every(Number.isFinite)).toBe(true);
    const cpu = ssdRecurrent(p, x);
    ok(got.Y, cpu.Y);
    ok(got.finalState, cpu.finalState);
  });

  it('segsum on the GPU equals the reference (−inf above the diagonal) for 3 rows of T=131', async () => {
    const gpu = await testGpu();
    const x = new Rng(4).uniforms(3 * 131, -2, 0);
    const { out } = await segsumGpu(gpu, { R: 3, T: 131 }, x);
    const want = segsum(x, 3, 131);
    expect(out.filter((v) => v === Number.NEGATIVE_INFINITY).length).toBe(3 * ((131 * 130) / 2));
    ok(out, want);
  });

  it('rejects a chunk of 0 and groups that do not divide the heads with clear messages', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 8, H: 3, P: 2, N: 2, G: 1, Q: 4 };
    const x = makeSsdInputs(p, 1);
    await expect(ssdChunkedGpu(gpu, { ...p, Q: 0 }, x)).rejects.toThrow(/chunk must be an integer >= 1/);
    await expect(ssdChunkedGpu(gpu, { ...p, G: 2 }, x)).rejects.toThrow(/must divide heads/);
  });
});
