import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import { causalConv } from '../reference/conv';
import { bytesBy } from '../trace/events';
import { relCheck } from '../util/compare';
import { SSM_CONV_WG, ssmConvGpu, ssmConvProgram } from './ssmConv';

/** Bitwise equality of two float32 results. */
const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  expect(Buffer.from(Float32Array.from(a).buffer).equals(Buffer.from(Float32Array.from(b).buffer))).toBe(
    true,
  );

describe('direct convolution trace', () => {
  it('reads L(L+1)/2 values of K and u per row and writes y once (B=2, H=3, L=137), bit-identical to tracing off', async () => {
    const gpu = await testGpu();
    const p = { B: 2, H: 3, L: 137 };
    const x = ssmConvProgram.makeInputs(p, 3);
    const off = await ssmConvProgram.run(gpu, p, x);
    const on = await ssmConvProgram.run(gpu, p, x, { trace: true });
    same(on.outputs.y, off.outputs.y);
    expect(relCheck(on.outputs.y, causalConv(x.K, x.u, p.B, p.H, p.L), 1e-4).ok).toBe(true);
    const t = on.trace;
    if (!t) throw new Error('no trace');
    expect(t.dropped).toBe(0);
    const rows = p.B * p.H;
    const tri = (p.L * (p.L + 1)) / 2;
    expect(bytesBy(t)).toEqual({
      'read:K': 4 * rows * tri,
      'read:u': 4 * rows * tri,
      'write:y': 4 * rows * p.L,
    });
    expect(t.events.length).toBe(3 * rows * Math.ceil(p.L / SSM_CONV_WG));
    expect((await ssmConvGpu(gpu, p, x)).trace).toBeNull();
  });
});
