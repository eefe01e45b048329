import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { causalConv } from '../../reference/conv';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { SSM_CONV_WG, ssmConvGpu, ssmConvProgram } from './ssmConv';
import { tracedAndNot } from '../../util/testing';

describe('direct convolution trace', () => {
  it('loads K and u tiles by the tiling formulas and counts L(L+1)/2 multiply-adds per row (B=2, H=3, L=137), bit-identical to tracing off', async () => {
    const gpu = await testGpu();
    const p = { B: 2, H: 3, L: 137 };
    const x = ssmConvProgram.makeInputs(p, 3);
    const { on } = await tracedAndNot((o) => ssmConvProgram.run(gpu, p, x, o));
    expect(relCheck(on.outputs.y, causalConv(x.K, x.u, p.B, p.H, p.L), 1e-4).ok).toBe(true);
    const t = on.trace;
    if (!t) throw new Error('no trace');
    expect(t.dropped).toBe(0);
    const rows = p.B * p.H;
    const WG = SSM_CONV_WG;
    const nb = Math.ceil(p.L / WG); // output blocks; block q visits tap tiles 0..q
    const r = p.L - (nb - 1) * WG; // width of the last block and of the last tap tile
    expect(nb).toBeGreaterThan(2);
    // K: WG per (block, tile) pair except the last tile (only in the last block) holds r.
    const kLoads = (WG * nb * (nb + 1)) / 2 - (WG - r);
    // u: tile d = q − t blocks left of the block: d = 0 loads WG inputs, d >= 1 a full 2WG−1 window,
    // except d = nb − 1 (one pair), whose window is cut at L: r + WG − 1.
    const uLoads = nb * WG + (2 * WG - 1) * ((nb * (nb - 1)) / 2 - 1) + (r + WG - 1);
    expect(bytesBy(t)).toEqual({
      'load:K': 4 * rows * kLoads,
      'load:u': 4 * rows * uLoads,
      'write:y': 4 * rows * p.L,
    });
    const macs = t.events.filter((e) => e.kind === 'compute').reduce((a, e) => a + e.count, 0);
    expect(macs).toBe((rows * p.L * (p.L + 1)) / 2);
    expect(t.events.length).toBe(rows * ((3 * nb * (nb + 1)) / 2 + nb));
    expect((await ssmConvGpu(gpu, p, x)).trace).toBeNull();
  });

  it('equals the reference at L=1 and L=64 (one block, one tile) and L=65', async () => {
    const gpu = await testGpu();
    for (const L of [1, 64, 65]) {
      const p = { B: 1, H: 2, L };
      const x = ssmConvProgram.makeInputs(p, L);
      const got = await ssmConvGpu(gpu, p, x);
      expect(relCheck(got.y, causalConv(x.K, x.u, p.B, p.H, p.L), 1e-5).ok).toBe(true);
    }
  });
});
