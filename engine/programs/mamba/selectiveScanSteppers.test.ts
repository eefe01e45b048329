import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { type SelectiveScanParams, selectiveScan, selectiveScanRange } from '../../reference/mamba';
import { relCheck } from '../../util/compare';
import { selectiveScanChunkedGpu } from './selectiveScanChunked';
import { createScanLevelStepper, scanLevelStepCount } from './selectiveScanLevels';
import { createSelectiveScanStepper, selectiveScanStepCount } from './selectiveScanSequential';
import { makeScanInputs } from './common';
import { scanCase } from './testing';
import { selectiveStateUpdateGpu } from './selectiveStateUpdate';

const TOL = 1e-4;

const params = (over: Partial<SelectiveScanParams>): SelectiveScanParams =>
  scanCase({ L: 37, chunk: 16, ...over });

describe('Mamba-1 steppers and the decode step', () => {
  it('the recurrent stepper on the GPU equals the fused scan step by step for L=37 (and the CPU stepper agrees)', async () => {
    const gpu = await testGpu();
    const p = params({});
    const x = makeScanInputs(p, 31);
    const fused = await selectiveScanChunkedGpu(gpu, p, x);
    const rows = p.batch * p.D;
    const before = gpu.liveBuffers.size;
    const g = await createSelectiveScanStepper(gpu, p, x);
    const c = await createSelectiveScanStepper(null, p, x);
    expect([g.backend, c.backend]).toEqual(['webgpu', 'cpu']);
    expect([g.count, c.count, selectiveScanStepCount(p)]).toEqual([p.L, p.L, p.L]);
    for (let t = 0; t < p.L; t++) {
      const a = await g.step();
      const b = await c.step();
      const col = Float32Array.from({ length: rows }, (_, r) => fused.out[r * p.L + t]);
      expect(a.t).toBe(t);
      expect(relCheck(a.out, col, TOL).ok).toBe(true);
      expect(relCheck(a.state, b.state, TOL).ok).toBe(true);
    }
    await expect(g.step()).rejects.toThrow(/all 37 steps are done/);
    expect(g.k).toBe(p.L);
    await g.reset();
    expect(
      relCheck((await g.step()).out, (await (await createSelectiveScanStepper(null, p, x)).step()).out, TOL)
        .ok,
    ).toBe(true);
    g.dispose();
    await expect(g.step()).rejects.toThrow(/disposed/);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('L single selective-state-update steps on the GPU equal the full scan (Mamba-1 shapes, L=23)', async () => {
    const gpu = await testGpu();
    const p = params({ L: 23, N: 6, bGroups: 1, cGroups: 1 });
    const x = makeScanInputs(p, 32);
    const want = selectiveScan(p, x);
    const { batch, D, N, L } = p;
    let state: ArrayLike<number> = new Float32Array(batch * D * N);
    const sliceT = (v: ArrayLike<number>, rows: number, t: number) =>
      Float32Array.from({ length: rows }, (_, r) => v[r * L + t]);
    for (let t = 0; t < L; t++) {
      const r = await selectiveStateUpdateGpu(
        gpu,
        { batch, H: 1, P: D, N, G: 1, dtSoftplus: true },
        {
          state,
          x: sliceT(x.u, batch * D, t),
          dt: sliceT(x.delta, batch * D, t),
          A: x.A,
          B: sliceT(x.B, batch * N, t),
          C: sliceT(x.C, batch * N, t),
          Dskip: x.Dskip,
          z: x.z ? sliceT(x.z, batch * D, t) : undefined,
          dtBias: x.deltaBias,
        },
      );
      expect(relCheck(r.out, sliceT(want.out, batch * D, t), TOL).ok).toBe(true);
      state = r.newState;
    }
    expect(relCheck(state, want.lastState, TOL).ok).toBe(true);
  });

  it('the level stepper ends at the chunk-local recurrence (chunk 1 of row 3, T=16, complex A) and matches the CPU at every level', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    for (const over of [{}, { complex: true, N: 3 }, { L: 29 }] as Partial<SelectiveScanParams>[]) {
      const p = params(over);
      const x = makeScanInputs(p, 33);
      const target = { row: 3, chunkIndex: 1, chunk: 16 };
      const g = await createScanLevelStepper(gpu, p, x, target);
      const c = await createScanLevelStepper(null, p, x, target);
      const T = Math.min(16, p.L - 16);
      expect(g.levels).toBe(Math.ceil(Math.log2(T)));
      expect([g.count, c.count, scanLevelStepCount(p, target)]).toEqual([g.levels, g.levels, g.levels]);
      const g0 = await g.initial();
      const c0 = await c.initial();
      expect(relCheck(g0.b, c0.b, TOL).ok).toBe(true);
      let last = g0;
      for (let k = 0; k < g.levels; k++) {
        last = await g.step();
        const cs = await c.step();
        expect(last.offset).toBe(1 << k);
        expect(relCheck(last.a, cs.a, TOL).ok).toBe(true);
        expect(relCheck(last.b, cs.b, TOL).ok).toBe(true);
      }
      await expect(g.step()).rejects.toThrow(/all \d+ steps are done/);
      // The chunk-local recurrence: x from zero at t0 = 16.
      const cx = p.complex ? 2 : 1;
      const state = new Float64Array(p.batch * p.D * p.N * cx);
      const out = new Float64Array(p.batch * p.D * p.L);
      const want = new Float64Array(T * p.N * 2);
      for (let t = 0; t < T; t++) {
        selectiveScanRange(p, x, state, out, 16 + t, 17 + t);
        for (let n = 0; n < p.N; n++) {
          want[(t * p.N + n) * 2] = state[(3 * p.N + n) * cx];
          want[(t * p.N + n) * 2 + 1] = p.complex ? state[(3 * p.N + n) * cx + 1] : 0;
        }
      }
      expect(relCheck(last.b, want, TOL).ok).toBe(true);
      // initial() reads the discretized array again without moving k.
      expect(relCheck((await g.initial()).b, g0.b, 0).ok).toBe(true);
      expect(g.k).toBe(g.levels);
      g.dispose();
      await expect(g.initial()).rejects.toThrow(/disposed/);
    }
    expect(gpu.liveBuffers.size).toBe(before);
  });
});
