// The LSTM's trace: byte counts per tensor against closed forms, the event order of each scan workgroup,
// and tracing changing no result bit.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { bytesBy } from '../../trace/events';
import { type LstmParams, lstmProgram, lstmTraceEvents } from './lstm';
import { projectionBytes, tracedChain, withoutOptionals } from './testing';

describe('LSTM trace', () => {
  it('byte counts equal the per-layer formulas (T=37, b=3, in=5, H=19, 2 layers: 4H = 76, two column tiles), bit-identical to tracing off', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 37, b: 3, inSize: 5, hidden: 19, layers: 2 };
    const { t } = await tracedChain(gpu, lstmProgram, p, 38);
    expect(t.events.length).toBe(lstmTraceEvents(p));
    const { T, b, hidden: H, layers } = p;
    const rows = T * b;
    const R = 4 * H;
    expect(bytesBy(t)).toEqual({
      ...projectionBytes(p, 4), // 4H = 76: two column tiles, each loading the whole input row
      'load:h0': 4 * layers * b * H,
      'load:c0': 4 * layers * b * H,
      'read:WhhT': 4 * layers * b * T * R * H,
      'read:P': 4 * rows * R * layers,
      'write:out': 4 * rows * H * layers,
      'store:hN': 4 * layers * b * H,
      'store:cN': 4 * layers * b * H,
    });
    // Each scan workgroup: h0 and c0 loads, one W_hh event per step in step order, then P, out, hN, cN.
    const scans = new Map<number, string[]>();
    for (const e of t.events) {
      if (['x', 'WihT', 'bih', 'bhh'].includes(e.tensor) || (e.kind === 'write' && e.tensor === 'P'))
        continue;
      scans.set(e.workgroup, [...(scans.get(e.workgroup) ?? []), `${e.kind}:${e.tensor}:${e.aux}`]);
    }
    expect(scans.size).toBe(layers * b);
    for (const [, seq] of scans) {
      const l = seq[0].split(':')[2];
      expect(seq).toEqual([
        `load:h0:${l}`,
        `load:c0:${l}`,
        ...Array.from({ length: T }, (_, s) => `read:WhhT:${s}`),
        `read:P:${l}`,
        `write:out:${l}`,
        `store:hN:${l}`,
        `store:cN:${l}`,
      ]);
    }
  });

  it('without h0 and c0 and biases their loads and reads count zero bytes', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 50, b: 1, inSize: 3, hidden: 5, layers: 1 };
    const x = withoutOptionals(lstmProgram.makeInputs(p, 39));
    const on = await lstmProgram.run(gpu, p, x, { trace: true });
    const t = on.trace;
    if (!t) throw new Error('no trace');
    const bytes = bytesBy(t);
    for (const k of ['load:h0', 'load:c0', 'read:bih', 'read:bhh']) expect(bytes[k] ?? 0, k).toBe(0);
    expect(bytes['read:WhhT']).toBe(4 * p.T * 4 * p.hidden * p.hidden);
    expect(t.events.length).toBe(lstmTraceEvents(p));
  });
});
