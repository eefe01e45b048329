// The gated RMSNorm on the GPU equals layernorm_gated.rms_norm_ref (reference/blocks.ts) for every
// arrangement: no z, gate before or after the norm, groups, bias; odd sizes; a folded grid.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { type RmsNormGatedParams, rmsNormGatedProgram } from './rmsNormGated';

const cases: Array<[string, RmsNormGatedParams, { z: boolean; bias: boolean }]> = [
  [
    'no z, bias, the whole row (rows=7, F=13)',
    { rows: 7, F: 13, eps: 1e-6, normBeforeGate: true },
    { z: false, bias: true },
  ],
  [
    'z gate before the norm, groups of 5 (rows=9, F=35)',
    { rows: 9, F: 35, groupSize: 5, eps: 1e-5, normBeforeGate: false },
    { z: true, bias: false },
  ],
  [
    'z gate after the norm, groups of 1, bias (rows=3, F=6)',
    { rows: 3, F: 6, groupSize: 1, eps: 1e-6, normBeforeGate: true },
    { z: true, bias: true },
  ],
  [
    'a row longer than the workgroup (rows=2, F=301)',
    { rows: 2, F: 301, eps: 1e-5, normBeforeGate: false },
    { z: true, bias: false },
  ],
];

describe('rmsNormGated', () => {
  for (const [name, p, has] of cases) {
    it(`equals rms_norm_ref: ${name}`, async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      const full = rmsNormGatedProgram.makeInputs(p, p.F);
      const x = { ...full, z: has.z ? full.z : null, bias: has.bias ? full.bias : null };
      const r = await rmsNormGatedProgram.run(gpu, p, x);
      expect(relCheck(r.outputs.out, rmsNormGatedProgram.reference(p, x).out, 1e-4).ok).toBe(true);
      expect(r.dispatches[0].label).toBe('rmsNormGated.group');
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('folds its (row, group) grid where a device allows 4 workgroups per dimension (rows=9, F=12, groups of 4: 27 workgroups)', async () => {
    const gpu = await testGpu();
    const small: Gpu = { ...gpu, limits: { ...gpu.limits, maxComputeWorkgroupsPerDimension: 4 } };
    const p: RmsNormGatedParams = { rows: 9, F: 12, groupSize: 4, eps: 1e-6, normBeforeGate: false };
    const x = rmsNormGatedProgram.makeInputs(p, 5);
    const r = await rmsNormGatedProgram.run(small, p, x);
    const [wx, wy, wz] = r.dispatches[0].workgroups;
    expect(wx * wy * wz).toBeGreaterThanOrEqual(27);
    expect(Math.max(wx, wy, wz)).toBeLessThanOrEqual(4);
    expect(relCheck(r.outputs.out, rmsNormGatedProgram.reference(p, x).out, 1e-4).ok).toBe(true);
  });

  it('refuses a group size that does not divide F', async () => {
    const gpu = await testGpu();
    const p: RmsNormGatedParams = { rows: 2, F: 6, groupSize: 4, eps: 1e-6, normBeforeGate: true };
    await expect(
      rmsNormGatedProgram.run(gpu, p, rmsNormGatedProgram.makeInputs({ ...p, groupSize: 6 }, 1)),
    ).rejects.toThrow(/group size 4 must divide F=6/);
  });
});
