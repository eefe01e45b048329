import { describe, expect, it } from 'vitest';
import type { GoldenCase } from './format';
import { parseCase } from './format';
import { compareOutputs, runCase } from './runner';

const raw = {
  name: 'toy',
  ref_function: 'ref.toy',
  params: {},
  inputs: { x: { shape: [3], dtype: 'float64', data: [1, 2, 'inf'] } },
  outputs: {
    y: { shape: [2], dtype: 'float64', data: [10, '-inf'] },
    z: { shape: [1], dtype: 'complex128', real: [1], imag: [2] },
  },
};

describe('golden runner', () => {
  const c: GoldenCase = parseCase('toy.json', raw);

  it('parses non-finite strings and complex arrays', () => {
    expect(Array.from(c.inputs.x.data)).toEqual([1, 2, Number.POSITIVE_INFINITY]);
    expect(Array.from(c.outputs.z.imag ?? [])).toEqual([2]);
  });

  it('scales the tolerance by max(1, max|want|) and matches infinities exactly', () => {
    const ok = compareOutputs(
      c,
      { y: [10.0009, Number.NEGATIVE_INFINITY], z: { data: [1], imag: [2] } },
      1e-4,
    );
    expect(ok.maxErr).toBeCloseTo(0.0009, 6);
    expect(ok.maxErr <= ok.tol).toBe(true);
    const bad = compareOutputs(c, { y: [10, 5], z: { data: [1], imag: [2] } }, 1e-4);
    expect(bad.maxErr).toBe(Number.POSITIVE_INFINITY);
  });

  it('fails a case whose imaginary part is missing or whose length differs', () => {
    expect(compareOutputs(c, { y: [10, Number.NEGATIVE_INFINITY], z: [1] }, 1e-4).maxErr).toBe(Infinity);
    expect(compareOutputs(c, { y: [10], z: { data: [1], imag: [2] } }, 1e-4).maxErr).toBe(Infinity);
  });

  it('counts an unimplemented function as failed on both backends, never skipped', async () => {
    const results = await runCase(c, {}, null);
    expect(results.map((r) => [r.backend, r.pass])).toEqual([
      ['cpu', false],
      ['webgpu', false],
    ]);
    expect(results[0].note).toMatch(/not implemented/);
  });
});
