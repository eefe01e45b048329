import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { causalConv } from '../../reference/conv';
import { nextPow2 } from '../../reference/fft';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { fftConvGpu, fftConvProgram } from './fftConv';
import { tracedAndNot } from '../../util/testing';
import { sameBits } from './testing';

describe('FFT convolution trace', () => {
  it('byte counts equal the Stockham formulas with one stage event per butterfly pass (B=2, H=3, L=37, with D)', async () => {
    const gpu = await testGpu();
    const p = { B: 2, H: 3, L: 37 };
    const rng = new Rng(11);
    const x = { K: rng.normals(p.H * p.L, 0.3), u: rng.normals(p.B * p.H * p.L), D: rng.normals(p.H) };
    const off = await fftConvGpu(gpu, p, x);
    const on = await fftConvGpu(gpu, p, x, { trace: true });
    sameBits(on.y, off.y);
    const want = causalConv(x.K, x.u, p.B, p.H, p.L);
    for (let i = 0; i < want.length; i++) want[i] += x.D[Math.floor(i / p.L) % p.H] * x.u[i];
    expect(relCheck(on.y, want, 1e-4).ok).toBe(true);
    const t = on.trace;
    if (!t) throw new Error('no trace');
    expect(t.dropped).toBe(0);

    const { B, H, L } = p;
    const n = nextPow2(2 * L);
    const S = Math.log2(n);
    const rowsU = B * H;
    const rows = rowsU + H;
    // Butterflies over both transforms: S passes over all rows forward, S over the u rows inverse.
    const flies = S * (rows + rowsU) * (n / 2);
    expect(bytesBy(t)).toEqual({
      'read:u': 4 * rowsU * L * 2,
      'read:K': 4 * H * L,
      'read:D': 4 * rowsU * L,
      'read:twiddles': 8 * flies,
      'read:spec': 16 * flies + 16 * rowsU * n + 4 * rowsU * L,
      'write:spec': 8 * rows * n + 16 * flies + 8 * rowsU * n,
      'write:y': 4 * rowsU * L,
    });
    // One stage event per workgroup per pass; together they cover every butterfly of the stage once.
    const perStage = new Map<number, number>();
    for (const e of t.events)
      if (e.kind === 'scanLevel') perStage.set(e.aux, (perStage.get(e.aux) ?? 0) + e.count);
    expect([...perStage.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * S }, (_, s) => s));
    for (const [s, count] of perStage) expect(count).toBe(((s < S ? rows : rowsU) * n) / 2);
    expect(t.events.filter((e) => e.kind === 'compute').reduce((a, e) => a + e.count, 0)).toBe(rowsU * n);
    // Workgroup ids are unique over the 2S + 3 dispatches: each one numbers its events 0, 1, 2, ...
    const seqs = new Map<number, number[]>();
    for (const e of t.events) seqs.set(e.workgroup, [...(seqs.get(e.workgroup) ?? []), e.seq]);
    for (const s of seqs.values()) expect(s).toEqual(s.map((_, i) => i));
  });

  it('leaves D out of the trace when it is absent and runs through the program interface (B=1, H=1, L=203)', async () => {
    const gpu = await testGpu();
    const p = { B: 1, H: 1, L: 203 };
    const x = fftConvProgram.makeInputs(p, 2);
    const { off, on } = await tracedAndNot((o) => fftConvProgram.run(gpu, p, x, o));
    expect(off.trace).toBeNull();
    const b = bytesBy(on.trace ?? { events: [], dropped: 1 });
    expect(on.trace?.dropped).toBe(0);
    expect(b['read:D']).toBeUndefined();
    expect(b['read:u']).toBe(4 * p.L);
    expect(b['write:y']).toBe(4 * p.L);
  });
});
