// The LSTM on the GPU against the float64 reference (2 and 3 layers, seq-first and batch-first, absent
// h0/c0 and biases, saturating gates), the records of what ran, a folded grid, and the dispatch layer on
// given buffers.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { expectRefused } from '../../util/testing';
import { type LstmParams, lstmDispatch, lstmGpu, lstmProgram, lstmReference, uploadLstm } from './lstm';
import {
  CHAIN_CASE,
  expectChainFolds,
  expectDispatchLayer,
  expectLayerChain,
  FOLD_CASE,
  withoutOptionals,
} from './testing';

const TOL = 1e-4;

type States = { output: ArrayLike<number>; hN: ArrayLike<number>; cN: ArrayLike<number> };
const close = (got: States, want: States) => {
  for (const k of ['output', 'hN', 'cN'] as const) expect(relCheck(got[k], want[k], TOL).ok, k).toBe(true);
};

describe('LSTM on the GPU', () => {
  for (const batchFirst of [false, true]) {
    it(`a 2-layer LSTM equals the reference at T=37, b=3, in=5, H=7 (batch_first ${batchFirst})`, async () => {
      const gpu = await testGpu();
      const p: LstmParams = { T: 37, b: 3, inSize: 5, hidden: 7, layers: 2, batchFirst };
      const x = lstmProgram.makeInputs(p, 31);
      const before = gpu.liveBuffers.size;
      const got = await lstmProgram.run(gpu, p, x);
      close(got.outputs, lstmProgram.reference(p, x));
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('no h0, no c0, no biases and H=300 (more units than invocations), 3 layers, batch_first', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 6, b: 2, inSize: 7, hidden: 300, layers: 3, batchFirst: true };
    const x = withoutOptionals(lstmProgram.makeInputs(p, 32));
    close(await lstmGpu(gpu, p, x), lstmReference(p, x));
  });

  it('saturating gates (biases of ±100, inputs ×50: past f32 exp overflow) stay finite and equal the reference', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 23, b: 3, inSize: 5, hidden: 7, layers: 2 };
    const base = lstmProgram.makeInputs(p, 33);
    const x = {
      ...base,
      x: base.x.map((v) => 50 * v),
      weights: base.weights.map((w, l) => ({
        ...w,
        bih: w.bih?.map((v, r) => (l === 1 ? (v < 0 ? -100 : 100) + r : v)) ?? null,
      })),
    };
    const got = await lstmGpu(gpu, p, x);
    for (const a of [got.output, got.hN, got.cN]) expect(a.every(Number.isFinite)).toBe(true);
    close(got, lstmReference(p, x));
  });

  it('records a projection (width 4H) and a scan per layer, in order, with their grids and named bindings', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { ...CHAIN_CASE };
    const { dispatches } = await lstmProgram.run(gpu, p, lstmProgram.makeInputs(p, 34));
    // ceil(280 / 64) = 5 column tiles per row: 75 projection workgroups.
    expect(dispatches[0].workgroups).toEqual([75, 1, 1]);
    const bytes = expectLayerChain(dispatches, 'lstm', 4, [
      'p',
      'P',
      'WhhT',
      'h0',
      'c0',
      'out',
      'hN',
      'cN',
      'trace',
    ]);
    expect(bytes(1, 'WhhT')).toBe(4 * 70 * 280); // (H, 4H)
    expect(bytes(1, 'P')).toBe(4 * 15 * 280);
  });

  it('folds both grids under a pretended limit of 5 per dimension and equals the unfolded run bit for bit (T=7, b=11)', async () => {
    const p: LstmParams = { ...FOLD_CASE };
    const gpu = await testGpu();
    const small: Gpu = { ...gpu, limits: { ...gpu.limits, maxComputeWorkgroupsPerDimension: 5 } };
    const { flat, x } = await expectChainFolds(gpu, small, lstmProgram, p, 35);
    close(flat.outputs, lstmReference(p, x));
  });

  it('the dispatch layer on given buffers equals the program and allocates only in the scope it is given', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 6, b: 2, inSize: 3, hidden: 8, layers: 2 };
    const x = { ...lstmProgram.makeInputs(p, 36), c0: null };
    await expectDispatchLayer(gpu, p, x, { upload: uploadLstm, dispatch: lstmDispatch, whole: lstmGpu });
  });

  it('rejects weights and states of the wrong shape with a clear message, leaking nothing', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 3, b: 2, inSize: 4, hidden: 5, layers: 2 };
    const x = lstmProgram.makeInputs(p, 37);
    const bad = { ...x, weights: [x.weights[0], { ...x.weights[1], Whh: new Float32Array(25) }] };
    await expectRefused(gpu, [
      [() => lstmGpu(gpu, p, bad), /W_hh_l1 has 25 values, want 100/],
      [
        () => lstmGpu(gpu, p, { ...x, c0: new Float32Array(3) }),
        /c0 has 3 values, want layers·b·hidden = 20/,
      ],
      [() => lstmGpu(gpu, { ...p, hidden: 0 }, x), /hidden must be a positive integer/],
    ]);
  });
});
