// The Elman RNN on the GPU against the float64 reference (2 layers, tanh and relu, seq-first and batch-first),
// the records of what ran, a batch past the 65,535 grid limit, and the dispatch layer on given buffers.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { expectRefused } from '../../util/testing';
import {
  type ElmanParams,
  elmanReference,
  elmanRnnDispatch,
  elmanRnnGpu,
  elmanRnnProgram,
  uploadElman,
} from './elmanRnn';
import { CHAIN_CASE, expectChainFolds, expectDispatchLayer, expectLayerChain, FOLD_CASE } from './testing';

const TOL = 1e-4;

describe('Elman RNN on the GPU', () => {
  for (const nonlinearity of ['tanh', 'relu'] as const) {
    it(`a 2-layer ${nonlinearity} RNN equals the reference at T=37, b=3, in=5, hidden=19`, async () => {
      const gpu = await testGpu();
      const p: ElmanParams = { T: 37, b: 3, inSize: 5, hidden: 19, layers: 2, nonlinearity };
      const x = elmanRnnProgram.makeInputs(p, 21);
      const before = gpu.liveBuffers.size;
      const got = await elmanRnnProgram.run(gpu, p, x);
      const want = elmanRnnProgram.reference(p, x);
      expect(relCheck(got.outputs.output, want.output, TOL).ok).toBe(true);
      expect(relCheck(got.outputs.hN, want.hN, TOL).ok).toBe(true);
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('batch_first, no h0, no biases and hidden=300 (more units than invocations), 3 layers', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 9, b: 2, inSize: 7, hidden: 300, layers: 3, batchFirst: true };
    const base = elmanRnnProgram.makeInputs(p, 22);
    const x = { ...base, h0: null, weights: base.weights.map((w) => ({ ...w, bih: null, bhh: null })) };
    const got = await elmanRnnGpu(gpu, p, x);
    const want = elmanReference(p, x);
    expect(relCheck(got.output, want.output, TOL).ok && relCheck(got.hN, want.hN, TOL).ok).toBe(true);
  });

  it('records a projection and a scan per layer, in order, with their grids and named bindings (3 layers)', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { ...CHAIN_CASE };
    const { dispatches } = await elmanRnnProgram.run(gpu, p, elmanRnnProgram.makeInputs(p, 26));
    // ceil(70 / 64) = 2 column tiles per row: 30 projection workgroups.
    expect(dispatches[0].workgroups).toEqual([30, 1, 1]);
    expectLayerChain(dispatches, 'elmanRnn', 1, ['p', 'P', 'WhhT', 'h0', 'out', 'hN', 'trace']);
  });

  it('folds both grids into (x, y, z) under a pretended limit of 5 per dimension and equals the unfolded run bit for bit (T=7, b=11)', async () => {
    const p: ElmanParams = { ...FOLD_CASE };
    const gpu = await testGpu();
    const small: Gpu = { ...gpu, limits: { ...gpu.limits, maxComputeWorkgroupsPerDimension: 5 } };
    const { flat, x } = await expectChainFolds(gpu, small, elmanRnnProgram, p, 27);
    expect(relCheck(flat.outputs.output, elmanRnnProgram.reference(p, x).output, TOL).ok).toBe(true);
  });

  it('the dispatch layer on given buffers equals the program and allocates only in the scope it is given', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 6, b: 2, inSize: 3, hidden: 8, layers: 2, nonlinearity: 'relu' };
    const x = elmanRnnProgram.makeInputs(p, 28);
    await expectDispatchLayer(gpu, p, x, {
      upload: uploadElman,
      dispatch: elmanRnnDispatch,
      whole: elmanRnnGpu,
    });
  });

  it('rejects weights of the wrong shape with a clear message, leaking nothing', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 3, b: 2, inSize: 4, hidden: 5, layers: 2 };
    const x = elmanRnnProgram.makeInputs(p, 25);
    const bad = { ...x, weights: [x.weights[0], { ...x.weights[1], Whh: new Float32Array(7) }] };
    await expectRefused(gpu, [
      [() => elmanRnnGpu(gpu, p, bad), /W_hh_l1 has 7 values, want 25/],
      [() => elmanRnnGpu(gpu, { ...p, hidden: 0 }, x), /hidden must be a positive integer/],
    ]);
  });
});
