// The tiled projection equals nn.Linear (reference/blocks.ts linear) at odd sizes, with and without a
// bias, reading a column slice and writing into one; its trace adds up to the traffic the header claims;
// a tile grid past the device's per-dimension limit is folded.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { testGpu } from '../../node/testGpu';
import { linear } from '../../reference/blocks';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import {
  makeMatmulInputs,
  matmulDispatch,
  matmulGpu,
  matmulProgram,
  matmulTraceCapacity,
  matmulTraffic,
} from './matmul';

const TOL = 1e-4;

describe('matmul (nn.Linear, tiled)', () => {
  for (const [rows, inF, outF, bias] of [
    [1, 1, 1, false],
    [37, 19, 45, true],
    [70, 33, 5, false],
    [33, 70, 66, true],
  ] as const) {
    it(`equals x Wᵀ${bias ? ' + b' : ''} for rows=${rows}, in=${inF}, out=${outF}`, async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      const p = { rows, inF, outF };
      const x = makeMatmulInputs(p, rows + inF, bias);
      const r = await matmulProgram.run(gpu, p, x);
      expect(relCheck(r.outputs.y, matmulProgram.reference(p, x).y, TOL).ok).toBe(true);
      expect(r.dispatches.map((d) => d.label)).toEqual(['matmul.tile']);
      expect(r.dispatches[0].workgroups[0]).toBe(Math.ceil(rows / 32) * Math.ceil(outF / 32));
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('reads columns [3, 3+11) of a (23, 17) buffer and writes columns [5, 5+9) of a (23, 20) one, leaving the rest', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const rng = new Rng(7);
    const rows = 23;
    const wide = rng.normals(rows * 17);
    const W = rng.normals(9 * 11);
    const bias = rng.normals(9);
    const out0 = rng.normals(rows * 20);
    const slice = Float64Array.from(
      { length: rows * 11 },
      (_, i) => wide[Math.floor(i / 11) * 17 + 3 + (i % 11)],
    );
    const y = linear(slice, W, rows, 11, 9, bias);
    const want = Float64Array.from(out0);
    for (let r = 0; r < rows; r++) for (let c = 0; c < 9; c++) want[r * 20 + 5 + c] = y[r * 9 + c];
    const scope = new BufferScope(gpu, 'matmulView');
    try {
      const b = {
        x: scope.upload('x', wide),
        W: scope.upload('W', W),
        bias: scope.upload('bias', bias),
        y: scope.upload('y', out0),
      };
      const view = { xOff: 3, xStride: 17, yOff: 5, yStride: 20 };
      const d = await matmulDispatch(gpu, scope, { rows, inF: 11, outF: 9 }, b, view);
      await runDispatches(gpu, 'matmulView', [d]);
      expect(relCheck(await readF32(gpu, b.y, rows * 20), want, TOL).ok).toBe(true);
    } finally {
      scope.release();
    }
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('traced: every tile loads its x and W tiles per K step and the bytes add up to the traffic story (rows=40, in=35, out=50)', async () => {
    const gpu = await testGpu();
    const p = { rows: 40, inF: 35, outF: 50 };
    const x = makeMatmulInputs(p, 3);
    const r = await matmulGpu(gpu, p, x, { trace: true });
    const t = r.trace;
    expect(t).not.toBeNull();
    if (!t) return;
    expect(t.events.length).toBe(matmulTraceCapacity(p));
    const want = matmulTraffic(p, true);
    expect(bytesBy(t)).toEqual({
      'load:x': want.x,
      'load:W': want.W,
      'read:bias': want.bias,
      'write:y': want.y,
    });
    expect(relCheck(r.y, linear(x.x, x.W, p.rows, p.inF, p.outF, x.bias), TOL).ok).toBe(true);
  });

  it('folds its tile grid where a device allows 3 workgroups per dimension (rows=150, in=7, out=70: 15 tiles) and still equals x Wᵀ + b', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const small: Gpu = { ...gpu, limits: { ...gpu.limits, maxComputeWorkgroupsPerDimension: 3 } };
    const p = { rows: 150, inF: 7, outF: 70 };
    const x = makeMatmulInputs(p, 9);
    const r = await matmulGpu(small, p, x);
    const [wx, wy, wz] = r.dispatches[0].workgroups;
    expect(wx * wy * wz).toBeGreaterThanOrEqual(15);
    expect(Math.max(wx, wy, wz)).toBeLessThanOrEqual(3);
    expect(relCheck(r.y, linear(x.x, x.W, p.rows, p.inF, p.outF, x.bias), TOL).ok).toBe(true);
    expect(gpu.liveBuffers.size).toBe(before);
  });
});
