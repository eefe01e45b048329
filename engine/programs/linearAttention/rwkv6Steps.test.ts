// The RWKV-6 stepper against the whole run (o_t and the state after every step, GPU and CPU), and what the
// recurrent and chunked runs record (trace bytes, dispatches). Its folded grids: linearAttention.grid.test.ts.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import type { Rwkv6Shape } from '../../reference/rwkv6';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { rwkv6ChunkedGpu } from './rwkv6Chunked';
import { makeRwkv6Inputs, rwkv6RecurrentGpu } from './rwkv6Recurrent';
import { createRwkv6Stepper, rwkv6StepCount } from './rwkv6Stepper';

const close = (got: ArrayLike<number>, want: ArrayLike<number>) => relCheck(got, want, 1e-5).ok;
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a)).toEqual(Array.from(b));
const p: Rwkv6Shape = { B: 2, H: 3, T: 23, K: 5, V: 7 };
const x = makeRwkv6Inputs({ ...p, withInitialState: true }, 31);

describe('RWKV-6 stepper', () => {
  it('stepping one dispatch at a time reads back every o_t and the final state of the whole run', async () => {
    const gpu = await testGpu();
    const full = await rwkv6RecurrentGpu(gpu, p, x, { scale: 0.5 });
    const before = gpu.liveBuffers.size;
    const stepper = await createRwkv6Stepper(gpu, p, x, 0.5);
    const cpu = await createRwkv6Stepper(null, p, x, 0.5);
    expect([stepper.backend, cpu.backend]).toEqual(['webgpu', 'cpu']);
    expect(stepper.count).toBe(rwkv6StepCount(p));
    const { B, H, T, V } = p;
    let last = null;
    for (let t = 0; t < T; t++) {
      last = await stepper.step();
      const c = await cpu.step();
      expect(last.t).toBe(t);
      const want = new Float32Array(B * H * V);
      for (let bh = 0; bh < B * H; bh++)
        for (let j = 0; j < V; j++) want[bh * V + j] = full.o[(bh * T + t) * V + j];
      expect(close(last.o, want) && close(c.o, want), `o at t=${t}`).toBe(true);
      expect(close(last.S, c.S), `S at t=${t}`).toBe(true);
    }
    expect(close(last?.S ?? [], full.finalState)).toBe(true);
    await expect(stepper.step()).rejects.toThrow(/all 23 steps are done/);
    await stepper.reset();
    await cpu.reset();
    expect(close((await stepper.step()).S, (await cpu.step()).S)).toBe(true);
    stepper.dispose();
    cpu.dispose();
    expect(gpu.liveBuffers.size).toBe(before);
    await expect(stepper.step()).rejects.toThrow(/disposed/);
  });
});

describe('what an RWKV-6 run records', () => {
  it('the traced recurrence moves q, k, w once per value tile, S0 and the state once, and computes the same', async () => {
    const gpu = await testGpu();
    const r = await rwkv6RecurrentGpu(gpu, p, x, { trace: true });
    const plain = await rwkv6RecurrentGpu(gpu, p, x);
    same(r.o, plain.o);
    expect(r.trace?.dropped).toBe(0);
    const { B, H, T, K, V } = p;
    const f = 4;
    expect(bytesBy(r.trace ?? { events: [], dropped: 0 })).toEqual({
      'load:q': B * H * T * K * f,
      'load:k': B * H * T * K * f,
      'load:gate': B * H * T * K * f,
      'load:u': B * H * K * f,
      'read:v': B * H * T * V * f,
      'write:o': B * H * T * V * f,
      'read:s0': B * H * K * V * f,
      'write:final_state': B * H * K * V * f,
    });
    expect(r.dispatches.map((d) => [d.label, d.workgroups])).toEqual([['rwkv6Recurrent.scan', [6, 1, 1]]]);
    expect(r.dispatches[0].bindings.map((b) => b.name)).toEqual([
      'p',
      'q',
      'k',
      'v',
      'w',
      'u',
      'S',
      'o',
      'trace',
    ]);
  });

  it('the traced chunked run records its five passes, drops nothing, and computes the same', async () => {
    const gpu = await testGpu();
    const r = await rwkv6ChunkedGpu(gpu, p, x, { chunk: 8, trace: true });
    const plain = await rwkv6ChunkedGpu(gpu, p, x, { chunk: 8 });
    same(r.o, plain.o);
    expect(r.trace?.dropped).toBe(0);
    expect(r.dispatches.map((d) => d.label)).toEqual([
      'linearAttention.gateCumsum',
      'rwkv6Chunked.chunkState',
      'rwkv6Chunked.stateScan',
      'rwkv6Chunked.attn',
      'rwkv6Chunked.output',
    ]);
    // 6 heads × 3 chunks: 18·5 cumsum lanes; 18 state tiles; 6 scans; 6·ceil(23·8/64); 18 row tiles of 8.
    expect(r.dispatches.map((d) => d.workgroups[0])).toEqual([2, 18, 6, 18, 18]);
    const bytes = bytesBy(r.trace ?? { events: [], dropped: 0 });
    expect(bytes['store:o']).toBe(p.B * p.H * p.T * p.V * 4);
    expect(bytes['write:final_state']).toBe(p.B * p.H * p.K * p.V * 4);
  });
});
