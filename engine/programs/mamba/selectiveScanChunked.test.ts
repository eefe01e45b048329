import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { type SelectiveScanParams, selectiveScan } from '../../reference/mamba';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { chunkLayout, selectiveScanChunkedGpu } from './selectiveScanChunked';
import { selectiveScanSequentialGpu } from './selectiveScanSequential';
import { makeScanInputs } from './common';
import { scanCase } from './testing';

const TOL = 1e-4;

const params = (over: Partial<SelectiveScanParams>): SelectiveScanParams =>
  scanCase({ L: 301, chunk: 64, ...over });

async function threeWays(
  p: SelectiveScanParams,
  seed: number,
  tweak?: (x: ReturnType<typeof makeScanInputs>) => void,
  withPasses = true,
) {
  const gpu = await testGpu();
  const x = makeScanInputs(p, seed);
  tweak?.(x);
  const want = selectiveScan(p, x);
  const fused = await selectiveScanChunkedGpu(gpu, p, x);
  const seq = await selectiveScanSequentialGpu(gpu, p, x);
  const all = [fused, seq];
  if (withPasses) all.push(await selectiveScanChunkedGpu(gpu, { ...p, carry: 'passes' }, x));
  for (const got of all) {
    expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
    expect(relCheck(got.lastState, want.lastState, TOL).ok).toBe(true);
  }
  expect(relCheck(fused.out, seq.out, TOL).ok).toBe(true);
  return { want, fused };
}

describe('selective scan on the GPU', () => {
  it('fused chunked scan (chained and three-pass carries) equals the sequential scan and the CPU reference for B=2, D=6, N=7, L=301, chunk=64 (B in 2 groups, C in 3, D, z, delta_bias, softplus above 20)', async () => {
    const p = params({ D: 6, bGroups: 2, cGroups: 3 });
    const { want } = await threeWays(p, 11, (x) => {
      const delta = x.delta as Float32Array;
      for (let i = 0; i < delta.length; i += 37) delta[i] = 21 + (i % 5);
    });
    expect(Number.isFinite(want.out[0])).toBe(true);
  });

  it('fused chunked scan equals the sequential scan and the CPU reference with fixed B and C (D, N), L=130, chunk=64', async () => {
    await threeWays(params({ L: 130, bGroups: 0, cGroups: 0 }), 12);
  });

  it('fused chunked scan equals the sequential scan for complex A with variable B and fixed C, L=201, chunk=64', async () => {
    await threeWays(params({ L: 201, N: 5, complex: true, bGroups: 1, cGroups: 0 }), 13);
  });

  it('fused chunked scan handles a chunk longer than L, 6 invocations of 8 steps per chunk (chunk=48), and a chunk of 1', async () => {
    await threeWays(params({ L: 9, N: 3 }), 14);
    await threeWays(params({ L: 101, chunk: 48, N: 3, D: 2 }), 16, undefined, false);
    await threeWays(params({ L: 9, chunk: 1, N: 3, D: 2, batch: 1 }), 15, undefined, false);
  });

  it('traced bytes of the fused scan equal the formulas: u, δ, z, B, C read once, out written once, no state traffic', async () => {
    const gpu = await testGpu();
    for (const over of [
      {},
      { bGroups: 0, cGroups: 0 },
      { complex: true, N: 4 },
    ] as Partial<SelectiveScanParams>[]) {
      const p = params(over);
      const x = makeScanInputs(p, 21);
      const r = await selectiveScanChunkedGpu(gpu, p, x, { trace: true });
      expect(relCheck(r.out, selectiveScan(p, x).out, TOL).ok).toBe(true);
      const cap = r.trace;
      if (!cap) throw new Error('no trace');
      expect(cap.dropped).toBe(0);
      const { nChunks, nBlocks, levels } = chunkLayout(p);
      const rows = p.batch * p.D;
      const cx = p.complex ? 2 : 1;
      const seq = 4 * rows * p.L;
      const bc = (g: number) => (g === 0 ? 4 * rows * nChunks * p.N * cx : 4 * rows * p.N * p.L * cx);
      const carry = 4 * rows * (nChunks - 1) * p.N * cx;
      expect(bytesBy(cap)).toEqual({
        'load:u': seq,
        'load:delta': seq,
        'read:z': seq,
        'read:B': bc(p.bGroups),
        'read:C': bc(p.cGroups),
        'read:carry': carry,
        'write:carry': carry,
        'write:last_state': 4 * rows * p.N * cx,
        'store:out': seq,
        'read:A': 4 * rows * nChunks * p.N * cx,
        'read:D': 4 * rows * nChunks,
        'read:delta_bias': 4 * rows * nChunks,
      });
      // The carries are 1/chunk of what storing the (L, D, N) state would cost.
      expect(carry).toBeLessThan((4 * rows * p.L * p.N * cx) / (p.chunk ?? 64) + 1);
      const levelEvents = cap.events.filter((e) => e.kind === 'scanLevel');
      expect(levelEvents.length).toBe(rows * nChunks * nBlocks * levels);
      expect(new Set(levelEvents.map((e) => e.aux))).toEqual(
        new Set(Array.from({ length: levels }, (_, i) => i)),
      );
    }
  });

  it('traced bytes of the three-pass fallback: u, δ, B read twice, C, z once, aggregates written once and carries read once', async () => {
    const gpu = await testGpu();
    const p = params({ carry: 'passes', bGroups: 0 });
    const x = makeScanInputs(p, 22);
    const r = await selectiveScanChunkedGpu(gpu, p, x, { trace: true });
    expect(relCheck(r.lastState, selectiveScan(p, x).lastState, TOL).ok).toBe(true);
    if (!r.trace) throw new Error('no trace');
    const { nChunks } = chunkLayout(p);
    const rows = p.batch * p.D;
    const seq = 4 * rows * p.L;
    expect(bytesBy(r.trace)).toEqual({
      'load:u': 2 * seq,
      'load:delta': 2 * seq,
      'read:z': seq,
      'read:B': 2 * 4 * rows * nChunks * p.N,
      'read:C': 4 * rows * p.N * p.L,
      'write:carry': 4 * rows * nChunks * p.N * 2,
      'read:carry': 4 * rows * nChunks * p.N,
      'store:out': seq,
      'read:A': 2 * 4 * rows * nChunks * p.N,
      'read:D': 2 * 4 * rows * nChunks,
      'read:delta_bias': 2 * 4 * rows * nChunks,
    });
  });

  it('refuses a chunk outside 1..256, items not dividing the chunk and inconsistent shapes with clear messages, leaking no buffers', async () => {
    const gpu = await testGpu();
    const p = params({ L: 20 });
    const x = makeScanInputs(p, 3);
    const before = gpu.liveBuffers.size;
    await expect(selectiveScanChunkedGpu(gpu, { ...p, chunk: 300 }, x)).rejects.toThrow(
      /chunk must be an integer/,
    );
    await expect(selectiveScanChunkedGpu(gpu, { ...p, L: 21 }, x)).rejects.toThrow(
      /u has 200 values, expected 210/,
    );
    await expect(selectiveScanChunkedGpu(gpu, { ...p, bGroups: 4 }, x)).rejects.toThrow(
      /groups 4 must divide D=5/,
    );
    expect(gpu.liveBuffers.size).toBe(before);
  });
});
