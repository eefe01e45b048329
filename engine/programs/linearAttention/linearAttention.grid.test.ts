// What the linear-attention runs dispatch (labels, folded grids, buffers bound by name) and that every form
// (RWKV-6's too) runs past 65,535 heads, where the per-head grid folds into (x, y, z), on a tiny problem.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import type { Gpu } from '../../gpu/device';
import { simpleGlaRecurrent } from '../../reference/gla';
import type { LaShape } from '../../reference/linearAttention';
import { relCheck } from '../../util/compare';
import { type Rwkv6Shape, rwkv6Recurrent } from '../../reference/rwkv6';
import { Rng } from '../../util/rng';
import type { LaRun } from './common';
import { laChunkedGpu } from './linearAttentionChunked';
import { laParallelGpu } from './linearAttentionParallel';
import { laRecurrentGpu } from './linearAttentionRecurrent';
import { createLinearAttentionStepper } from './linearAttentionStepper';
import { retentionParallelGpu } from './retentionParallel';
import { rwkv6ChunkedGpu } from './rwkv6Chunked';
import { makeRwkv6Inputs, rwkv6RecurrentGpu } from './rwkv6Recurrent';
import { makeSimpleGlaInputs } from './simpleGla';

const close = (got: ArrayLike<number>, want: ArrayLike<number>) => relCheck(got, want, 1e-4).ok;
/** 70,001 heads of one workgroup each fold, balanced, into 35,001 × 2. */
const FOLDED = [35001, 2, 1];

const withGridLimit = (gpu: Gpu, max: number): Gpu => ({
  ...gpu,
  limits: { ...gpu.limits, maxComputeWorkgroupsPerDimension: max },
});
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a)).toEqual(Array.from(b));
/** A run under a pretended limit against the unfolded one: its folded grids, then o and S_T bit for bit. */
function sameFolded(folded: LaRun, flat: LaRun, grids: number[][]) {
  expect(folded.dispatches.map((d) => d.workgroups)).toEqual(grids);
  same(folded.o, flat.o);
  same(folded.finalState, flat.finalState);
}

describe('linear attention past 65,535 heads (B=1, T=2, H=70001, K=V=1)', () => {
  // The golden --grid cases cross the real limit in every form; a kernel with workgroup memory and barriers
  // over 70,001 workgroups takes tens of seconds on SwiftShader, so here the recurrent form and the
  // (barrier-free) stepper cross it, and the fold of every form is checked below on a pretended small limit.
  const p: LaShape = { B: 1, T: 2, H: 70001, K: 1, V: 1 };
  const x = makeSimpleGlaInputs({ ...p, withInitialState: true, gMin: -1 }, 21);

  it('the simple GLA recurrence folds 70,001 heads into 35,001 × 2 and matches its reference', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const r = await laRecurrentGpu(gpu, p, x, { scale: 1 });
    const want = simpleGlaRecurrent(p, x, 1);
    expect(close(r.o, want.o) && close(r.finalState, want.finalState)).toBe(true);
    expect(r.dispatches.map((d) => d.workgroups)).toEqual([FOLDED]);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('the stepper steps every head on the folded grid and lands on the recurrent final state', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const stepper = await createLinearAttentionStepper(gpu, p, x, 1);
    await stepper.step();
    const last = await stepper.step();
    expect(close(last.S, simpleGlaRecurrent(p, x, 1).finalState)).toBe(true);
    stepper.dispose();
    expect(gpu.liveBuffers.size).toBe(before);
  });
});

describe('every linear-attention form folded under a pretended limit of 7 workgroups per dimension', () => {
  const p: LaShape = { B: 2, T: 37, H: 5, K: 3, V: 4 };
  const x = makeSimpleGlaInputs({ ...p, withInitialState: true }, 25);

  it('chunked simple GLA (C=8) folds its four passes into (x, y, z) and equals the unfolded run bit for bit', async () => {
    const gpu = await testGpu();
    const small = withGridLimit(gpu, 7);
    const folded = await laChunkedGpu(small, p, x, { chunk: 8 });
    const flat = await laChunkedGpu(gpu, p, x, { chunk: 8 });
    // 10 heads × 5 chunks: 50 gate invocations -> 1 workgroup; 50 chunk-state and output workgroups
    // -> 7 × 4 × 2 (6 spare); one scan workgroup per head -> 5 × 2.
    sameFolded(folded, flat, [
      [1, 1, 1],
      [7, 4, 2],
      [5, 2, 1],
      [7, 4, 2],
    ]);
  });

  it('the quadratic form (with attn), retention, GLA and the stepper equal their unfolded runs', async () => {
    const gpu = await testGpu();
    const small = withGridLimit(gpu, 7);
    const x0 = { ...x, initialState: null };
    const a = await laParallelGpu(small, p, x0, { attn: true });
    const b = await laParallelGpu(gpu, p, x0, { attn: true });
    expect(a.dispatches[0].workgroups).toEqual([6, 5, 1]); // 10 heads × 3 row tiles of 16 -> 6 × 5
    same(a.o, b.o);
    same(a.attn ?? [], b.attn ?? []);
    const rng = new Rng(22);
    const hm = {
      q: rng.normals(2 * 5 * 37 * 3),
      k: rng.normals(2 * 5 * 37 * 3),
      v: rng.normals(2 * 5 * 37 * 4),
    };
    same((await retentionParallelGpu(small, p, hm)).o, (await retentionParallelGpu(gpu, p, hm)).o);
    const gla = { ...x, g: null, gk: Float32Array.from(x.k, (v) => -Math.abs(v) / 4) };
    const [ga, gb] = [await laRecurrentGpu(small, p, gla), await laRecurrentGpu(gpu, p, gla)];
    same(ga.o, gb.o);
    same(ga.finalState, gb.finalState);
    const before = gpu.liveBuffers.size;
    const sa = await createLinearAttentionStepper(small, p, x);
    const sb = await createLinearAttentionStepper(gpu, p, x);
    for (let t = 0; t < 3; t++) same((await sa.step()).o, (await sb.step()).o);
    sa.dispose();
    sb.dispose();
    expect(gpu.liveBuffers.size).toBe(before);
  });
});

describe('RWKV-6 past the per-dimension grid limit', () => {
  it('70,001 heads fold into 35,001 × 2 and the recurrence still matches its reference', async () => {
    const gpu = await testGpu();
    const s: Rwkv6Shape = { B: 1, H: 70001, T: 2, K: 1, V: 1 };
    const xs = makeRwkv6Inputs({ ...s, withInitialState: true }, 32);
    const before = gpu.liveBuffers.size;
    const r = await rwkv6RecurrentGpu(gpu, s, xs);
    expect(r.dispatches.map((d) => d.workgroups)).toEqual([FOLDED]);
    const want = rwkv6Recurrent(s, { ...xs, s0: xs.initialState });
    expect(close(r.o, want.o) && close(r.finalState, want.finalState)).toBe(true);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('every pass folded under a pretended limit of 7 equals its unfolded run bit for bit', async () => {
    const gpu = await testGpu();
    const tiny = withGridLimit(gpu, 7);
    const s: Rwkv6Shape = { B: 2, H: 3, T: 23, K: 5, V: 7 };
    const xs = makeRwkv6Inputs({ ...s, withInitialState: true }, 31);
    const [ra, rb] = [await rwkv6RecurrentGpu(tiny, s, xs), await rwkv6RecurrentGpu(gpu, s, xs)];
    same(ra.o, rb.o);
    const [ca, cb] = [
      await rwkv6ChunkedGpu(tiny, s, xs, { chunk: 8 }),
      await rwkv6ChunkedGpu(gpu, s, xs, { chunk: 8 }),
    ];
    sameFolded(ca, cb, [
      [2, 1, 1],
      [6, 3, 1],
      [6, 1, 1],
      [6, 3, 1],
      [6, 3, 1],
    ]);
  });
});

describe('records of what a linear-attention run dispatched', () => {
  it('a chunked run records its passes in order with their sources, grids and buffers by name', async () => {
    const gpu = await testGpu();
    const s: LaShape = { B: 2, T: 37, H: 3, K: 5, V: 8 };
    const x = { ...makeSimpleGlaInputs({ ...s, withInitialState: true }, 23), g: null };
    const r = await laChunkedGpu(gpu, s, x, { chunk: 16 });
    expect(r.dispatches.map((d) => d.label)).toEqual([
      'linearAttentionChunked.chunkState',
      'linearAttentionChunked.stateScan',
      'linearAttentionChunked.chunkOutput',
    ]);
    // B·H heads times per-head workgroups: 3 chunks × 1 value tile, 1 scan group, 3 chunks × 1 row tile.
    expect(r.dispatches.map((d) => d.workgroups)).toEqual([
      [18, 1, 1],
      [6, 1, 1],
      [18, 1, 1],
    ]);
    const [state, scan, out] = r.dispatches;
    expect(state.sources).toContain('linearAttention/laCommon.wgsl');
    expect(state.sources).toContain('linearAttention/laTile.wgsl');
    expect(state.bindings.map((b) => b.name)).toEqual(['p', 'k', 'v', 'gHi', 'gLo', 'states', 'trace']);
    const states = (d: typeof scan) => d.bindings.find((b) => b.name === 'states');
    expect(states(scan)?.bytes).toBe(2 * 3 * 3 * 5 * 8 * 4);
    expect(states(scan)?.access).toBe('read_write');
    expect(states(out)?.access).toBe('read');
    expect(out.bindings.find((b) => b.name === 'o')?.bytes).toBe(2 * 37 * 3 * 8 * 4);
    expect(scan.bindings.find((b) => b.name === 's0')?.label).toBe('linearAttentionChunked.s0');
  });

  it('a gated recurrent run records one scan dispatch binding the gate', async () => {
    const gpu = await testGpu();
    const s: LaShape = { B: 1, T: 8, H: 2, K: 3, V: 70 };
    const x = makeSimpleGlaInputs(s, 24);
    const r = await laRecurrentGpu(gpu, s, x);
    expect(r.dispatches).toHaveLength(1);
    const [d] = r.dispatches;
    expect(d.label).toBe('linearAttentionRecurrent.scan');
    expect(d.workgroups).toEqual([4, 1, 1]); // 2 heads × ceil(70 / 64) column tiles
    expect(d.constants).toMatchObject({ GATE: 1 });
    expect(d.bindings.find((b) => b.name === 'gate')?.bytes).toBe(8 * 2 * 4);
  });
});
