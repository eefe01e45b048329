// ssdFast against the float64 chunked reference and the recurrence, against the four-kernel ssdChunked on
// the same GPU, and through the golden runner: odd T, batch 2, groups, initial states, every register tile,
// chunks shorter and longer than a tile, folded grids, and the slice length chosen from workgroup memory.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { ssdRecurrent } from '../../reference/ssd';
import { ssdChunked } from '../../reference/ssdChunked';
import { Rng } from '../../util/rng';
import { expectClose } from '../../util/testing';
import { makeSsdInputs, ssdChunkedGpu } from './ssdChunked';
import { type SsdFastParams, ssdFastGpu, ssdFastProgram, ssdFastTiles } from './ssdFast';

const TOL = 1e-4;
const ok = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) =>
  expectClose(got, want, TOL, what);

/** The fast form against the float64 chunked reference and against the four-kernel GPU form. */
async function agrees(p: SsdFastParams, seed: number) {
  const gpu = await testGpu();
  const x = makeSsdInputs(p, seed);
  const before = gpu.liveBuffers.size;
  const fast = await ssdFastGpu(gpu, p, x);
  expect(gpu.liveBuffers.size).toBe(before);
  const ref = ssdChunked(p, Math.min(p.Q, p.T), x);
  ok(fast.Y, ref.Y, 'Y vs f64');
  ok(fast.finalState, ref.finalState, 'final state vs f64');
  const old = await ssdChunkedGpu(gpu, p, x);
  ok(fast.Y, old.Y, 'Y vs ssdChunked');
  ok(fast.finalState, old.finalState, 'final state vs ssdChunked');
  return fast;
}

const GOLDEN = join(__dirname, '../../../../shared/golden/vectors');

/** A golden file's arrays (../shared/golden/README.md: shape and row-major data) and params, read as JSON. */
type Raw = { shape: number[]; data: number[] };
function goldenCase(name: string) {
  const j = JSON.parse(readFileSync(join(GOLDEN, name), 'utf8'));
  return j as { params: { block_len: number }; inputs: Record<string, Raw>; outputs: Record<string, Raw> };
}

describe('fast chunked SSD on the GPU', () => {
  it('reproduces the golden ssd_minimal_discrete cases (with and without initial states, b=1 and 2; B and C per head)', async () => {
    const gpu = await testGpu();
    const names = readdirSync(GOLDEN).filter((f) => f.startsWith('ssd_minimal'));
    expect(names.length).toBe(4);
    for (const name of names) {
      const { params, inputs, outputs } = goldenCase(name);
      const [batch, T, H, P] = inputs.X.shape;
      const [, , G, N] = inputs.B.shape;
      const f32 = (r: Raw) => Float32Array.from(r.data);
      const init = inputs.initial_states ? f32(inputs.initial_states) : null;
      const x = { X: f32(inputs.X), A: f32(inputs.A), B: f32(inputs.B), C: f32(inputs.C), init };
      const got = await ssdFastGpu(gpu, { batch, T, H, P, N, G, Q: params.block_len }, x);
      ok(got.Y, outputs.Y.data, `${name} Y`);
      ok(got.finalState, outputs.final_state.data, `${name} final state`);
    }
  });

  it('b=2, T=300 (not a multiple of the chunk 64), H=3, P=5, N=7, with an initial state, equals the f64 reference and ssdChunked', async () => {
    await agrees({ batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q: 64, withInit: true }, 11);
  });

  it('a chunk of 17 without an initial state (b=2, T=200, H=2, P=8, N=12: 12 chunks, one round of 8 passed together and 4 after)', async () => {
    await agrees({ batch: 2, T: 200, H: 2, P: 8, N: 12, G: 1, Q: 17 }, 12);
  });

  it('21 chunks of 16 with an initial state (b=2, T=333, H=2, P=4, N=4): two rounds of 8 passed together and 5 after', async () => {
    await agrees({ batch: 2, T: 333, H: 2, P: 4, N: 4, G: 1, Q: 16, withInit: true }, 17);
  });

  it('b=2, groups (H=4, G=2), P and N wider than one 64-tile (P=70, N=72), T=150, chunk 64, 8×4 register tiles', async () => {
    await agrees(
      { batch: 2, T: 150, H: 4, P: 70, N: 72, G: 2, Q: 64, withInit: true, shape: { RM: 8, RN: 4, KS: 16 } },
      13,
    );
  });

  it('8×8 register tiles on 32-row tiles (b=2, T=90, H=3, G=3, P=16, N=64, chunk 32)', async () => {
    await agrees(
      { batch: 2, T: 90, H: 3, P: 16, N: 64, G: 3, Q: 32, withInit: true, shape: { RM: 8, RN: 8, KS: 32 } },
      16,
    );
  });

  it('strongly negative A·Δ over 128-long chunks stays finite and matches the recurrence (T=300)', async () => {
    const p = { batch: 1, T: 300, H: 2, P: 4, N: 8, G: 1, Q: 128, withInit: true };
    const x = makeSsdInputs(p, 8);
    const rng = new Rng(8);
    x.A = Float32Array.from(x.A, (_, i) => (i % 50 === 0 ? -0.01 : rng.uniform(-6, -2)));
    const got = await ssdFastGpu(await testGpu(), p, x);
    expect(got.Y.every(Number.isFinite) && got.finalState.every(Number.isFinite)).toBe(true);
    const rec = ssdRecurrent(p, x);
    ok(got.Y, rec.Y, 'Y vs recurrence');
    ok(got.finalState, rec.finalState, 'final state vs recurrence');
  });

  for (const N of [64, 128])
    it(`the benchmark's head shape at tiny T: P=64, N=${N}, T=200, H=2, chunk 128 (two row tiles per chunk)`, async () => {
      await agrees({ batch: 1, T: 200, H: 2, P: 64, N, G: 1, Q: 128, withInit: true }, 14 + N);
    });

  it('a chunk longer than the sequence is one chunk (T=40, chunk 64) and matches the recurrence', async () => {
    const p = { batch: 2, T: 40, H: 2, P: 6, N: 5, G: 1, Q: 64, withInit: true };
    const x = makeSsdInputs(p, 15);
    const fast = await ssdFastProgram.run(await testGpu(), p, x);
    const rec = ssdRecurrent(p, x);
    ok(fast.outputs.Y, rec.Y, 'Y vs recurrence');
    ok(fast.outputs.finalState, rec.finalState, 'final state vs recurrence');
    expect(fast.dispatches.map((d) => d.label)).toEqual(['ssdFast.prep', 'ssdFast.pass', 'ssdFast.scan']);
  });

  it('on a device of 7 workgroups per dimension every grid folds (with overshoot) and still equals the reference (b=3, T=40, H=5, chunk 16)', async () => {
    const real = await testGpu();
    const gpu = { ...real, limits: { ...real.limits, maxComputeWorkgroupsPerDimension: 7 } };
    const p = { batch: 3, T: 40, H: 5, P: 3, N: 2, G: 1, Q: 16, withInit: true };
    const x = makeSsdInputs(p, 9);
    const got = await ssdFastProgram.run(gpu, p, x);
    const rec = ssdRecurrent(p, x);
    ok(got.outputs.Y, rec.Y, 'Y vs recurrence');
    ok(got.outputs.finalState, rec.finalState, 'final state vs recurrence');
    // prep: 3·5·3 chunk states + 3·1·3 C·Bᵀ = 54 workgroups (folded to 7 × 4 × 2); scan: 45 (7 × 7).
    expect(got.dispatches.map((d) => d.workgroups)).toEqual([
      [7, 4, 2],
      [1, 1, 1],
      [7, 7, 1],
    ]);
  });

  it('rejects a chunk of 0, groups that do not divide the heads and a trace request with clear messages', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 8, H: 3, P: 2, N: 2, G: 1, Q: 4 };
    const x = makeSsdInputs(p, 1);
    const before = gpu.liveBuffers.size;
    await expect(ssdFastGpu(gpu, { ...p, Q: 0 }, x)).rejects.toThrow(/chunk must be an integer >= 1/);
    await expect(ssdFastGpu(gpu, { ...p, G: 2 }, x)).rejects.toThrow(/must divide heads/);
    await expect(ssdFastProgram.run(gpu, p, x, { trace: true })).rejects.toThrow(/record no trace/);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('slices shrink to fit the workgroup memory: 16 KiB halves a 64-long slice to 16, and too little is refused', () => {
    const lim = (bytes: number) => ({
      maxComputeWorkgroupStorageSize: bytes,
      maxComputeInvocationsPerWorkgroup: 256,
    });
    expect(ssdFastTiles(lim(49152), 64, { RM: 4, RN: 4, KS: 64 })).toMatchObject({
      TM: 64,
      TN: 64,
      KS: 64,
      WG: 256,
    });
    expect(ssdFastTiles(lim(16384), 64, { RM: 4, RN: 4, KS: 64 }).KS).toBe(16);
    expect(ssdFastTiles(lim(49152), 64, { RM: 8, RN: 8, KS: 32 })).toMatchObject({ WG: 64, KS: 32 });
    expect(() => ssdFastTiles(lim(1024), 64)).toThrow(/does not fit/);
  });
});
