// The Elman RNN's trace: byte counts per tensor against closed forms, the event order of each scan
// workgroup, a long sequence's trace kept small, and tracing changing no result bit.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { bytesBy } from '../../trace/events';
import { type ElmanParams, elmanRnnGpu, elmanRnnProgram } from './elmanRnn';
import { projectionBytes, sameBits, tracedChain } from './testing';

describe('Elman RNN trace', () => {
  it('byte counts equal the per-layer formulas (T=37, b=2, in=5, hidden=13, 2 layers), bit-identical to tracing off', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 37, b: 2, inSize: 5, hidden: 13, layers: 2 };
    const { t } = await tracedChain(gpu, elmanRnnProgram, p, 7);
    const { T, b, hidden: Hd, layers } = p;
    const rows = T * b;
    expect(bytesBy(t)).toEqual({
      ...projectionBytes(p, 1), // hidden = 13: one column tile per row
      'load:h0': 4 * layers * b * Hd,
      'read:WhhT': 4 * layers * b * T * Hd * Hd,
      'read:P': 4 * rows * Hd * layers,
      'write:out': 4 * rows * Hd * layers,
      'store:hN': 4 * layers * b * Hd,
    });
    // Each scan workgroup: h0 load, one W_hh event per step in step order, then P, out and hN.
    const scans = new Map<number, string[]>();
    for (const e of t.events) {
      if (!['h0', 'WhhT', 'hN'].includes(e.tensor) && !(e.kind === 'read' && e.tensor === 'P')) continue;
      scans.set(e.workgroup, [...(scans.get(e.workgroup) ?? []), `${e.seq}:${e.kind}:${e.tensor}:${e.aux}`]);
    }
    expect(scans.size).toBe(layers * b);
    const layerOf = [...scans.values()].map((seq) => Number(seq[0].split(':')[3])).sort();
    expect(layerOf).toEqual([0, 0, 1, 1]);
    for (const [, seq] of scans) {
      expect(seq[0]).toMatch(/^0:load:h0:/);
      expect(seq.slice(1, T + 1)).toEqual(Array.from({ length: T }, (_, s) => `${s + 1}:read:WhhT:${s}`));
    }
  });

  it('keeps a T=1000 trace small: T + 4 events per scan workgroup, none dropped, no h0 bytes without h0', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 1000, b: 1, inSize: 3, hidden: 5, layers: 1 };
    const x = { ...elmanRnnProgram.makeInputs(p, 8), h0: null };
    const off = await elmanRnnGpu(gpu, p, x);
    const on = await elmanRnnGpu(gpu, p, x, { trace: true });
    sameBits(on.output, off.output);
    const t = on.trace;
    if (!t) throw new Error('no trace');
    expect(t.dropped).toBe(0);
    // The scan workgroup follows the T projection workgroups (one per row).
    expect(t.events.filter((e) => e.workgroup === p.T).length).toBe(p.T + 4);
    // Projection: one workgroup per row, 5 events each (x block, WihT, bih, bhh, P).
    expect(t.events.length).toBe(5 * p.T + p.T + 4);
    const bytes = bytesBy(t);
    expect(bytes['load:h0']).toBeUndefined();
    expect(bytes['read:WhhT']).toBe(4 * p.T * p.hidden * p.hidden);
    expect(bytes['write:out']).toBe(4 * p.T * p.hidden);
  });
});
