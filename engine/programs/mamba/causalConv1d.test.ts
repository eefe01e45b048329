import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { type CausalConv1dParams, causalConv1d, causalConv1dUpdate } from '../../reference/causalConv1d';
import { relCheck } from '../../util/compare';
import { causalConv1dGpu, makeConvInputs } from './causalConv1d';
import { causalConv1dUpdateGpu } from './causalConv1dUpdate';

const TOL = 1e-4;

describe('causal conv1d on the GPU', () => {
  it('equals the reference for B=2, D=5, L=301, W=4 with bias, initial states, final states and silu', async () => {
    const gpu = await testGpu();
    const p: CausalConv1dParams = { batch: 2, D: 5, L: 301, W: 4, silu: true };
    const x = makeConvInputs(p, 41);
    const got = await causalConv1dGpu(gpu, p, x);
    const want = causalConv1d(p, x);
    expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
    expect(relCheck(got.finalStates, want.finalStates, TOL).ok).toBe(true);
    // The first outputs really use the initial states.
    const zeroInit = causalConv1d(p, { ...x, initialStates: undefined });
    expect(Math.abs(zeroInit.out[0] - want.out[0])).toBeGreaterThan(1e-3);
  });

  it('final states reach into the initial states when L < W-1, and W=1 and no bias or initial states work', async () => {
    const gpu = await testGpu();
    for (const p of [
      { batch: 1, D: 3, L: 2, W: 4, silu: false },
      { batch: 2, D: 3, L: 70, W: 1, silu: true },
      { batch: 3, D: 2, L: 65, W: 3, silu: false },
    ]) {
      const x = makeConvInputs(p, 42, p.W !== 3);
      const input = p.W === 1 ? { x: x.x, weight: x.weight } : x;
      const got = await causalConv1dGpu(gpu, p, input);
      const want = causalConv1d(p, input);
      expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
      expect(relCheck(got.finalStates, want.finalStates, TOL).ok).toBe(true);
    }
  });

  it('L decode steps of causal_conv1d_update on the GPU equal the full convolution from the same state (L=19, W=4)', async () => {
    const gpu = await testGpu();
    const p: CausalConv1dParams = { batch: 2, D: 5, L: 19, W: 4, silu: true };
    const x = makeConvInputs(p, 43);
    const want = causalConv1d(p, x);
    const rows = p.batch * p.D;
    let state: ArrayLike<number> = x.initialStates ?? [];
    let cpuState: ArrayLike<number> = state;
    for (let t = 0; t < p.L; t++) {
      const xt = Float32Array.from({ length: rows }, (_, r) => x.x[r * p.L + t]);
      const up = { batch: p.batch, D: p.D, W: p.W, S: p.W - 1, silu: true };
      const r = await causalConv1dUpdateGpu(gpu, up, {
        x: xt,
        convState: state,
        weight: x.weight,
        bias: x.bias,
      });
      const c = causalConv1dUpdate(up, xt, cpuState, x.weight, x.bias);
      const col = Float64Array.from({ length: rows }, (_, i) => want.out[i * p.L + t]);
      expect(relCheck(r.out, col, TOL).ok).toBe(true);
      expect(relCheck(c.out, col, 1e-12).ok).toBe(true);
      state = r.newConvState;
      cpuState = c.newConvState;
    }
    expect(relCheck(state, want.finalStates, TOL).ok).toBe(true);
  });

  it('refuses inconsistent shapes with a clear message', async () => {
    const gpu = await testGpu();
    const p: CausalConv1dParams = { batch: 1, D: 2, L: 5, W: 4, silu: false };
    const x = makeConvInputs(p, 44);
    await expect(causalConv1dGpu(gpu, { ...p, W: 3 }, x)).rejects.toThrow(/weight has 8 values, expected 6/);
  });
});
