// The strided map equals its index arithmetic on the host for a transpose, a column split, −exp,
// softplus with a per-j bias (past the threshold of 20) and the silu(z0)·x0 gate; the transpose program
// equals reference/blocks.ts transposeLast.

import { describe, expect, it } from 'vitest';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import {
  columnsMap,
  type StridedMap,
  stridedDispatch,
  stridedReference,
  transposeMap,
  transposeProgram,
} from './strided';

describe('strided map', () => {
  it('transpose (b=3, R=17, C=5) equals transposeLast, bit for bit', async () => {
    const gpu = await testGpu();
    const p = { batch: 3, R: 17, C: 5 };
    const x = transposeProgram.makeInputs(p, 1);
    const r = await transposeProgram.run(gpu, p, x);
    expect(Array.from(r.outputs.y)).toEqual(Array.from(transposeProgram.reference(p, x).y));
  });

  const rng = new Rng(11);
  const src = Float32Array.from(rng.normals(2 * 9 * 13), (v) => 12 * v);
  const bias = rng.normals(13);
  const maps: Array<[string, StridedMap, boolean]> = [
    ['the transpose of columns [4, 4+6) of a (2, 9, 13) buffer', transposeMap(2, 9, 6, 4, 13), false],
    ['columns [2, 2+7) of (18, 13) rows', columnsMap(18, 7, 2, 13), false],
    [
      '−exp into every second slot',
      {
        shape: [1, 20, 1],
        src: { strides: [0, 1, 0] },
        dst: { offset: 1, strides: [0, 2, 0] },
        act: 'negExp',
      },
      false,
    ],
    [
      'softplus(x + bias[j]) over (2, 13, 9), values past 20',
      { ...transposeMap(2, 9, 13), act: 'softplus' },
      true,
    ],
    [
      'x0·silu(z0) with z0 at columns [0, 5) and x0 at [5, 10)',
      { ...columnsMap(18, 5, 5, 13), gateOff: 0 },
      false,
    ],
  ];
  for (const [name, m, withBias] of maps) {
    it(`${name} equals the host index arithmetic`, async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      const dst0 = new Rng(3).normals(2 * 9 * 13 + 8);
      const want = stridedReference(m, src, Float64Array.from(dst0), withBias ? bias : null);
      const scope = new BufferScope(gpu, 'strided');
      try {
        const b = {
          src: scope.upload('src', src),
          dst: scope.upload('dst', dst0),
          bias: withBias ? scope.upload('bias', bias) : null,
        };
        await runDispatches(gpu, 'strided', [await stridedDispatch(gpu, scope, m, b)]);
        expect(relCheck(await readF32(gpu, b.dst, dst0.length), want, 1e-6).ok).toBe(true);
      } finally {
        scope.release();
      }
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }
});
