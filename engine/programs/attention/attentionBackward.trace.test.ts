// What the backward passes record: FlashAttention-2's trace shows K and V read once per key tile and Q,
// dO, lse, delta once per visible (i, j) pair in the dK/dV pass, P recomputed at every pair and no L×L
// tensor ever written (the plain form writes P and dS, sq·sk each); the runs' dispatch records; grids
// folded past the per-dimension limit.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { testGpu } from '../../node/testGpu';
import { visibleKvTiles } from '../../reference/attention';
import { attentionBackward, firstQueryTile } from '../../reference/attentionBackward';
import { bytesBy, type TraceCapture, type TraceEvent } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { attentionBackwardGpu } from './attentionBackward';
import { makeBackwardInputs } from './backwardCommon';
import { ATTENTION_TRACE, flashWorkgroupSize } from './common';
import { flashAttentionBackwardGpu } from './flashAttentionBackward';

const phase = (name: string) => ATTENTION_TRACE.phases.indexOf(name);
const loads = (es: TraceEvent[], t: string) => es.filter((e) => e.kind === 'load' && e.tensor === t);
const computes = (es: TraceEvent[], name: string) =>
  es.filter((e) => e.kind === 'compute' && e.aux === phase(name));

/** The events of each workgroup of one pass (its trace ids [from, to)). */
function byWorkgroup(trace: TraceCapture, [from, to]: [number, number]): TraceEvent[][] {
  const out: TraceEvent[][] = Array.from({ length: to - from }, () => []);
  for (const e of trace.events) if (e.workgroup >= from && e.workgroup < to) out[e.workgroup - from].push(e);
  return out;
}

describe('attention backward traces and records', () => {
  const p = { b: 1, sq: 13, sk: 11, h: 4, hk: 2, d: 4, causal: true, Br: 4, Bc: 3 };
  const Tr = Math.ceil(p.sq / p.Br);
  const Tc = Math.ceil(p.sk / p.Bc);
  const group = p.h / p.hk;

  it('dK/dV pass: K_j and V_j loaded once per key tile, Q, dO, lse, delta once per visible (i, j) pair, P recomputed at each (sq=13, sk=11, causal, GQA 4/2, Br=4, Bc=3)', async () => {
    const gpu = await testGpu();
    const run = await flashAttentionBackwardGpu(gpu, p, makeBackwardInputs(p, 81), { trace: true });
    const trace = run.trace as TraceCapture;
    expect(trace.dropped).toBe(0);
    expect(trace.phases).toEqual(ATTENTION_TRACE.phases);
    const wgs = byWorkgroup(trace, run.passes.dkdv);
    expect(wgs.length).toBe(p.b * p.hk * Tc);
    let pairs = 0;
    wgs.forEach((es, w) => {
      const j = w % Tc;
      const cols = Math.min(p.Bc, p.sk - j * p.Bc);
      expect(loads(es, 'k').map((e) => [e.aux, e.bytes])).toEqual([[j, cols * p.d * 4]]);
      expect(loads(es, 'v').map((e) => [e.aux, e.bytes])).toEqual([[j, cols * p.d * 4]]);
      const first = firstQueryTile(j * p.Bc, p.sq, p.sk, p.Br, p.causal);
      const visited = Array.from({ length: Tr - first }, (_, n) => first + n);
      const want = Array.from({ length: group }, () => visited).flat();
      for (const t of ['q', 'dout', 'lse', 'delta']) expect(loads(es, t).map((e) => e.aux)).toEqual(want);
      expect(computes(es, 'recompute P').map((e) => e.offset)).toEqual(want);
      for (const ph of ['dV', 'dS', 'dK']) expect(computes(es, ph).length).toBe(want.length);
      expect(computes(es, 'skip')[0].count).toBe(first * group);
      pairs += want.length;
    });
    // Σ_j (Tr − firstQueryTile(j)) per query head: 4+3+2+2 = 11 here, times 4 heads.
    expect(pairs).toBe(11 * p.h);
    const by = bytesBy({ ...trace, events: wgs.flat() });
    expect(by['load:k']).toBe(p.b * p.hk * p.sk * p.d * 4);
    expect(by['store:dk']).toBe(by['load:k']);
    expect(by['store:dv']).toBe(by['load:k']);
  });

  it('dQ pass: Q, dO, lse, delta loaded once per query tile, K and V once per visible key tile, dQ stored once; no P, S or dS is ever written', async () => {
    const gpu = await testGpu();
    const run = await flashAttentionBackwardGpu(gpu, p, makeBackwardInputs(p, 82), { trace: true });
    const trace = run.trace as TraceCapture;
    const wgs = byWorkgroup(trace, run.passes.dq);
    expect(wgs.length).toBe(p.b * p.h * Tr);
    wgs.forEach((es, w) => {
      const i = w % Tr;
      const last = Math.min(p.sq, (i + 1) * p.Br) - 1;
      const tiles = visibleKvTiles(last, p.sq, p.sk, p.Bc, p.causal);
      for (const t of ['q', 'dout', 'lse', 'delta']) expect(loads(es, t).map((e) => e.aux)).toEqual([i]);
      const seen = Array.from({ length: tiles }, (_, n) => n);
      expect(loads(es, 'k').map((e) => e.aux)).toEqual(seen);
      expect(loads(es, 'v').map((e) => e.aux)).toEqual(seen);
      expect(computes(es, 'recompute P').map((e) => e.offset)).toEqual(seen);
      expect(computes(es, 'dQ').length).toBe(tiles);
    });
    const written = new Set(
      trace.events.filter((e) => e.kind === 'store' || e.kind === 'write').map((e) => e.tensor),
    );
    expect([...written].sort()).toEqual(['delta', 'dk', 'dq', 'dv', 'lse', 'o']);
    // Everything written is an output, each once: O, dQ (sq, d), dK, dV (sk, d), lse, delta (sq) per head.
    const stored = trace.events.filter((e) => e.kind === 'store' || e.kind === 'write');
    const perQHead = p.sq * (2 * p.d + 2);
    const perKvHead = 2 * p.sk * p.d;
    expect(stored.reduce((s, e) => s + e.bytes, 0)).toBe(4 * p.b * (p.h * perQHead + p.hk * perKvHead));
  });

  it('the plain backward writes P and dS once each, b·h·sq·sk entries, and reads them back for dK, dV', async () => {
    const gpu = await testGpu();
    const { trace } = await attentionBackwardGpu(gpu, p, makeBackwardInputs(p, 83), { trace: true });
    if (!trace) throw new Error('no trace');
    expect(trace.dropped).toBe(0);
    const by = bytesBy(trace);
    expect(by['write:P']).toBe(p.b * p.h * p.sq * p.sk * 4);
    expect(by['write:dS']).toBe(by['write:P']);
    expect(by['read:P']).toBe(by['write:P']);
    expect(by['write:dq']).toBe(p.b * p.h * p.sq * p.d * 4);
  });

  it('records forward, delta, dK/dV, dQ with the tiles as override constants and one workgroup per tile', async () => {
    const gpu = await testGpu();
    const { dispatches } = await flashAttentionBackwardGpu(gpu, p, makeBackwardInputs(p, 84));
    expect(dispatches.map((d) => d.label)).toEqual([
      'flashAttention.forward',
      'attentionBackward.delta',
      'flashAttentionBackward.dkdv',
      'flashAttentionBackward.dq',
    ]);
    const [, , dkdv, dq] = dispatches;
    expect(dkdv.sources).toEqual(
      expect.arrayContaining(['attention/flashBackwardTile.wgsl', 'attention/flashBackward.wgsl']),
    );
    expect(dkdv.constants).toEqual({ BR: 4, BC: 3, WG: flashWorkgroupSize(3, 4), TRACE: 0 });
    expect(dq.constants).toEqual({ BR: 4, BC: 3, WG: flashWorkgroupSize(4, 4), TRACE: 0 });
    expect(dkdv.workgroups).toEqual([p.b * p.hk * Tc, 1, 1]);
    expect(dq.workgroups).toEqual([p.b * p.h * Tr, 1, 1]);
    const inputs = ['p', 'q', 'k', 'v', 'dout', 'lse', 'delta'];
    expect(dkdv.bindings.map((b) => b.name)).toEqual([...inputs, 'dk', 'dv', 'trace']);
    expect(dq.bindings.map((b) => b.name)).toEqual([...inputs, 'dq', 'trace']);
  });

  it('grids folded past a per-dimension limit of 5 give the same gradients (tiled and plain)', async () => {
    const real = await testGpu();
    const gpu: Gpu = { ...real, limits: { ...real.limits, maxComputeWorkgroupsPerDimension: 5 } };
    const before = real.liveBuffers.size;
    const x = makeBackwardInputs(p, 85);
    const want = attentionBackward(x.q, x.k, x.v, x.dout, p, true);
    for (const r of [await flashAttentionBackwardGpu(gpu, p, x), await attentionBackwardGpu(gpu, p, x)]) {
      for (const n of ['dq', 'dk', 'dv'] as const)
        expect(relCheck(r.outputs[n], want[n], 2e-4).ok).toBe(true);
      for (const d of r.dispatches) expect(Math.max(...d.workgroups)).toBeLessThanOrEqual(5);
    }
    expect(real.liveBuffers.size).toBe(before);
  });
});
