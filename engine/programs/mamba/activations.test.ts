// Elementwise activations on the GPU against their float64 references, at an odd length that spans
// several workgroups, with inputs past softplus's threshold of 20.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { type Activation, activationGpu, activationReference, invSoftplus } from './activations';

describe('activations', () => {
  it('softplus, silu and inv_softplus on the GPU match float64 for 1001 values, some above 20', async () => {
    const gpu = await testGpu();
    const x = new Rng(7).normals(1001, 10);
    for (let i = 0; i < x.length; i += 37) x[i] = 20 + (i % 5);
    const y = new Rng(8).uniforms(1001, 1e-4, 25);
    for (const [act, input] of [
      ['softplus', x],
      ['silu', x],
      ['inv_softplus', y],
    ] as Array<[Activation, Float32Array]>) {
      const r = relCheck((await activationGpu(gpu, act, input)).y, activationReference(act, input), 1e-5);
      expect(r.ok, `${act}: err ${r.err} bound ${r.bound}`).toBe(true);
    }
  });

  it('inv_softplus inverts torch softplus (threshold 20 included)', () => {
    for (const y of [1e-4, 0.5, 3, 19.5, 25]) {
      const x = invSoftplus(y);
      expect(x > 20 ? x : Math.log1p(Math.exp(x))).toBeCloseTo(y, 10);
    }
  });
});
