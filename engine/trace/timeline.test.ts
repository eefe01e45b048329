// Trace tables (one list for TypeScript and WGSL) and timelines (a capture as frames a diagram scrubs),
// on synthetic captures and on one recorded by the dense SSM scan.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import { ssmScanGpu } from '../programs/s4/ssmScan';
import { TraceKind, type TraceCapture, type TraceEvent, decodeTrace } from './events';
import { stateAt, timeline, totalBytes } from './timeline';
import { TRACE_KINDS_WGSL, constName, traceTable } from './tensors';

const ev = (p: Partial<TraceEvent> & Pick<TraceEvent, 'kind' | 'workgroup' | 'seq'>): TraceEvent => ({
  tensor: '',
  offset: 0,
  count: 0,
  bytes: 0,
  aux: 0,
  ...p,
});

describe('trace tables', () => {
  it('generate the WGSL constants of tensors and phases from one list', () => {
    const t = traceTable(['Abar', 'initialStates', 'final_state', 'WihT'], ['diag', 'chunkState']);
    expect(t.wgsl.split('\n').filter(Boolean)).toEqual([
      'const T_ABAR: u32 = 0u;',
      'const T_INITIAL_STATES: u32 = 1u;',
      'const T_FINAL_STATE: u32 = 2u;',
      'const T_WIH_T: u32 = 3u;',
      'const PHASE_DIAG: u32 = 0u;',
      'const PHASE_CHUNK_STATE: u32 = 1u;',
    ]);
    expect(constName('X')).toBe('X');
  });

  it('refuse two names that become the same constant, and empty names', () => {
    expect(() => traceTable(['x', 'X'])).toThrow(/both become T_X/);
    expect(() => traceTable(['q', ''])).toThrow(/empty/);
  });

  it('generate the record kinds from TraceKind, so WGSL and the decoder agree', () => {
    for (const [k, v] of Object.entries(TraceKind))
      expect(TRACE_KINDS_WGSL).toContain(`const TRACE_${constName(k)}: u32 = ${v}u;`);
  });

  it('decode tensor and phase names from the same table', () => {
    const t = traceTable(['q', 'k'], ['scores', 'softmax']);
    const words = new Uint32Array(4 + 16);
    words.set([2, 2]);
    words.set([TraceKind.load, 3, 0, 1, 64, 16, 64, 0], 4);
    words.set([TraceKind.compute, 3, 1, 0, 0, 0, 0, 1], 12);
    const c = decodeTrace(words, t);
    expect(c.events.map((e) => e.tensor)).toEqual(['k', 'q']);
    expect(timeline(c).frames[1].phase).toBe('softmax');
  });
});

describe('timeline', () => {
  // Two workgroups: each loads a tile of K, computes, stores O; workgroup 1 then loads a second K tile.
  const capture: TraceCapture = {
    dropped: 0,
    phases: ['scores'],
    events: [
      ev({ kind: 'load', workgroup: 1, seq: 0, tensor: 'K', offset: 0, count: 16, bytes: 64 }),
      ev({ kind: 'load', workgroup: 0, seq: 0, tensor: 'K', offset: 0, count: 16, bytes: 64 }),
      ev({ kind: 'compute', workgroup: 0, seq: 1, aux: 0 }),
      ev({ kind: 'store', workgroup: 0, seq: 2, tensor: 'O', offset: 0, count: 8, bytes: 32 }),
      ev({ kind: 'load', workgroup: 1, seq: 1, tensor: 'K', offset: 16, count: 16, bytes: 64 }),
      ev({ kind: 'read', workgroup: 1, seq: 2, tensor: 'V', offset: 0, count: 4, bytes: 16 }),
    ],
  };

  it('orders frames by workgroup then sequence number, or in lockstep, with moves and totals', () => {
    const t = timeline(capture);
    expect(t.frames.map((f) => [f.workgroup, f.seq])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(t.frames.map((f) => f.move)).toEqual([
      'hbm→sram',
      null,
      'sram→hbm',
      'hbm→sram',
      'hbm→sram',
      'hbm→reg',
    ]);
    expect(t.frames[1].phase).toBe('scores');
    expect(t.totals).toEqual({
      K: { load: 192, store: 0, read: 0, write: 0 },
      O: { load: 0, store: 32, read: 0, write: 0 },
      V: { load: 0, store: 0, read: 16, write: 0 },
    });
    expect(t.workgroups).toEqual([0, 1]);
    expect(t.complete).toBe(true);
    const lock = timeline(capture, { order: 'lockstep' });
    expect(lock.frames.map((f) => [f.workgroup, f.seq]).slice(0, 3)).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(timeline(capture, { workgroups: [1] }).frames).toHaveLength(3);
  });

  it('gives the state after any step: the tile each workgroup holds, its phase and the bytes so far', () => {
    const t = timeline(capture);
    const s0 = stateAt(t, 0);
    expect(s0.frame).toBeNull();
    expect(totalBytes(s0.bytes)).toBe(0);
    const s2 = stateAt(t, 2);
    expect(s2.resident.get(0)?.K).toEqual({ tensor: 'K', offset: 0, count: 16, since: 0 });
    expect(s2.phase.get(0)).toBe('scores');
    const s5 = stateAt(t, 5);
    expect(s5.resident.get(1)?.K.offset).toBe(16);
    expect(totalBytes(s5.bytes, 'K')).toBe(192);
    expect(stateAt(t, 99).step).toBe(6);
    expect(totalBytes(stateAt(t, 6).bytes)).toBe(totalBytes(t.totals));
  });

  it('of the dense scan (N=6, L=37) holds Ā tile and x on chip and writes y once, as its kernel header says', async () => {
    const gpu = await testGpu();
    const N = 6;
    const L = 37;
    const Abar = Float32Array.from({ length: N * N }, (_, i) => (i % (N + 1) === 0 ? 0.5 : 0.01));
    const ones = new Float32Array(N).fill(1);
    const u = Float32Array.from({ length: L }, (_, k) => Math.sin(k));
    const r = await ssmScanGpu(gpu, Abar, ones, ones, u, { trace: true, states: true });
    const capture = r.trace as TraceCapture;
    const t = timeline(capture);
    expect(t.complete).toBe(true);
    expect(t.totals.y).toEqual({ load: 0, store: 0, read: 0, write: 4 * L });
    expect(t.totals.states.write).toBe(4 * L * N);
    const last = stateAt(t, t.frames.length);
    expect(last.resident.get(0)?.x).toMatchObject({ tensor: 'x', count: N });
    expect(r.dispatches.map((d) => d.label)).toEqual(['ssmScan.recurrence']);
  });
});
