// The RNN cell step on the GPU against the float64 reference, its record, and a batch past the grid limit.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { expectLikeReference } from '../../util/testing';
import { rnnStepProgram } from './rnnStep';

const TOL = 1e-4;

describe('RNN cell step on the GPU', () => {
  it('one cell step on the GPU equals the reference (b=4, in=33, hidden=70) and records one dispatch', async () => {
    const gpu = await testGpu();
    const got = await expectLikeReference(gpu, rnnStepProgram, { b: 4, inSize: 33, hidden: 70 }, 23, TOL);
    expect(got.dispatches).toHaveLength(1);
    const [d] = got.dispatches;
    expect(d.label).toBe('rnnStep.cell');
    expect(d.workgroups).toEqual([5, 1, 1]); // ceil(4 · 70 / 64) workgroups of 64 invocations
    expect(d.bindings.map((b) => b.name)).toEqual(['p', 'x', 'h', 'Wih', 'Whh', 'bih', 'bhh', 'hOut']);
  });

  it('a relu step without biases over b=4,194,305 rows of hidden=1 folds its 65,537 workgroups past 65,535 and equals the reference', async () => {
    const gpu = await testGpu();
    const p = { b: 65536 * 64 + 1, inSize: 1, hidden: 1, nonlinearity: 'relu' as const };
    const x = { ...rnnStepProgram.makeInputs(p, 29), bih: null, bhh: null };
    const got = await rnnStepProgram.run(gpu, p, x);
    expect(got.dispatches[0].workgroups).toEqual([32769, 2, 1]);
    expect(relCheck(got.outputs.hNew, rnnStepProgram.reference(p, x).hNew, TOL).ok).toBe(true);
  });
});
