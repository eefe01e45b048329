// The GPU plumbing every program shares: grid folding, WGSL layouts, uniforms by name, bindings by name
// and the records of what ran. The layout reader is checked against every kernel source in shaders/.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHADER_ROOT } from '../node/gpu';
import { testGpu } from '../node/testGpu';
import type { Gpu } from './device';
import { EngineError } from './errors';
import { gridFor } from './grid';
import { kernel, runDispatches } from './kernel';
import { BufferScope, readU32 } from './tensor';
import { uniformFor, uniformFrom } from './uniforms';
import { ssdFastProgram } from '../programs/ssd/ssdFast';
import { makeAttentionInputs } from '../programs/attention/common';
import { flashDecodingFastProgram } from '../programs/attention/flashDecodingFast';
import { wgslLayout } from './wgslLayout';

const fakeGpu = (max: number) => ({ limits: { maxComputeWorkgroupsPerDimension: max } }) as unknown as Gpu;

describe('gridFor', () => {
  it('keeps a grid that fits as one row, and an empty grid empty', () => {
    expect(gridFor(fakeGpu(65535), 't', 300).workgroups).toEqual([300, 1, 1]);
    expect(gridFor(fakeGpu(65535), 't', 0).workgroups).toEqual([0, 1, 1]);
  });

  it('folds 70,001 workgroups into 35,001 × 2 (balanced, one spare), and 5·10^9 into three dimensions', () => {
    expect(gridFor(fakeGpu(65535), 't', 70001).workgroups).toEqual([35001, 2, 1]);
    const g = gridFor(fakeGpu(65535), 't', 5e9).workgroups;
    expect(g.every((d) => d <= 65535)).toBe(true);
    expect(g[0] * g[1] * g[2]).toBeGreaterThanOrEqual(5e9);
    expect(g[0] * g[1] * g[2] - 5e9).toBeLessThan(g[0] * g[1]);
  });

  it('covers every count up to max³ within the limit per dimension, wasting less than the count', () => {
    for (const max of [4, 7, 16])
      for (let count = 1; count <= max ** 3; count++) {
        const [x, y, z] = gridFor(fakeGpu(max), 't', count).workgroups;
        expect(Math.max(x, y, z)).toBeLessThanOrEqual(max);
        expect(x * y * z).toBeGreaterThanOrEqual(count);
        expect(x * y * z).toBeLessThan(2 * count + max);
      }
  });

  it('refuses a count past max³ or not a whole number, naming the caller', () => {
    expect(() => gridFor(fakeGpu(4), 'prog.k', 65)).toThrow(/prog.k: 65 workgroups exceed a 4³ grid/);
    expect(() => gridFor(fakeGpu(4), 'prog.k', 2.5)).toThrow(EngineError);
  });
});

describe('wgslLayout', () => {
  const code = `
    struct Params { N: u32, dt: f32, off: vec2<i32>, // a comment, with a comma
      scale: vec3f, last: u32, }
    @group(0) @binding(0) var<uniform> p: Params;
    @group(0) @binding(2) var<storage, read_write> out: array<f32>; // (L,)
    @group(0) @binding(1) var<storage, read> x: array<f32>;
    @group(0) @binding(3) var<storage, read> spare: array<f32>;
    fn helper(i: u32) -> f32 { return x[i] * p.dt; }
    fn unused() -> f32 { return spare[0]; }
    @compute @workgroup_size(64 * 2) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
      if (g.x < p.N) { out[g.x] = helper(g.x); }
    }`;

  it('lays out scalars and vectors by WGSL alignment rules', () => {
    const s = wgslLayout(code).structs.Params;
    expect(s.fields).toEqual({
      N: { offset: 0, scalar: 'u32', n: 1 },
      dt: { offset: 4, scalar: 'f32', n: 1 },
      off: { offset: 8, scalar: 'i32', n: 2 },
      scale: { offset: 16, scalar: 'f32', n: 3 },
      last: { offset: 28, scalar: 'u32', n: 1 },
    });
    expect(s.size).toBe(32);
  });

  it('lists bindings in order with their access, and which the entry point reaches through calls', () => {
    expect(wgslLayout(code).bindings.map((b) => [b.binding, b.name, b.access, b.used])).toEqual([
      [0, 'p', 'uniform', true],
      [1, 'x', 'read', true],
      [2, 'out', 'read_write', true],
      [3, 'spare', 'read', false],
    ]);
    expect(
      wgslLayout(code, 'unused')
        .bindings.filter((b) => b.used)
        .map((b) => b.name),
    ).toEqual(['spare']);
  });

  it('reads every uniform struct of every kernel in shaders/', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(join(SHADER_ROOT, dir), { withFileTypes: true }))
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.wgsl')) files.push(join(dir, e.name));
    };
    walk('');
    const all = files.map((f) => readFileSync(join(SHADER_ROOT, f), 'utf8')).join('\n');
    const layout = wgslLayout(all);
    for (const b of layout.bindings.filter((x) => x.access === 'uniform'))
      expect(layout.structs[b.type], `${b.name}: ${b.type}`).toBeDefined();
  });
});

describe('uniforms and bindings by name, on Dawn', () => {
  const spec = { label: 'plumbing.copy', sources: ['test/plumbingCopy.wgsl'] };

  it('writes a uniform by field name, rebinds by name, and records what ran', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const scope = new BufferScope(gpu, 'plumbing');
    try {
      const k = await kernel(gpu, spec);
      const params = uniformFor(scope, k, { n: 5, add: 2, scale: 3 });
      const src = scope.upload('src', Uint32Array.from([1, 2, 3, 4, 5, 6, 7]));
      const dst = scope.storage('dst', 7 * 4);
      const d = { kernel: k, bindings: { p: params.buffer, src, dst }, workgroups: [1] as const };
      const run = await runDispatches(gpu, 'plumbing', [d]);
      expect(Array.from(await readU32(gpu, dst))).toEqual([5, 8, 11, 14, 17, 0, 0, 0]);
      params.set({ n: 7, add: 0 });
      await runDispatches(gpu, 'plumbing', [d]);
      expect(Array.from(await readU32(gpu, dst, 7))).toEqual([3, 6, 9, 12, 15, 18, 21]);
      // By name from a params object: its other properties unread, true as 1, `extra` over the object.
      const from = uniformFrom(scope, k, { n: 7, add: true, scale: 5, other: 'x' }, { scale: 3 });
      await runDispatches(gpu, 'plumbing', [{ ...d, bindings: { ...d.bindings, p: from.buffer } }]);
      expect(Array.from(await readU32(gpu, dst, 7))).toEqual([4, 7, 10, 13, 16, 19, 22]);
      expect(run.dispatches).toEqual([
        {
          label: 'plumbing.copy',
          sources: ['test/plumbingCopy.wgsl'],
          entryPoint: 'main',
          constants: {},
          prelude: '',
          workgroups: [1, 1, 1],
          bindings: [
            { binding: 0, name: 'p', label: 'plumbing.copy.p', bytes: 16, access: 'uniform' },
            { binding: 1, name: 'src', label: 'plumbing.src', bytes: 32, access: 'read' },
            { binding: 2, name: 'dst', label: 'plumbing.dst', bytes: 32, access: 'read_write' },
          ],
        },
      ]);
    } finally {
      scope.release();
    }
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('refuses a missing field, an unknown field, a fraction in a u32 and an unknown binding name', async () => {
    const gpu = await testGpu();
    const scope = new BufferScope(gpu, 'plumbing');
    try {
      const k = await kernel(gpu, spec);
      expect(() => uniformFor(scope, k, { n: 1, add: 2 })).toThrow(/not given: scale/);
      expect(() => uniformFor(scope, k, { n: 1, add: 2, scale: 1, extra: 4 })).toThrow(/no field 'extra'/);
      expect(() => uniformFor(scope, k, { n: 1.5, add: 2, scale: 1 })).toThrow(/u32 and cannot hold 1.5/);
      expect(() => uniformFrom(scope, k, { n: 1, add: 2 })).toThrow(/not given: scale/);
      const u = uniformFor(scope, k, { n: 1, add: 2, scale: 1 });
      expect(() => u.set({ add: -1 })).toThrow(/u32 and cannot hold -1/);
      const bad = {
        kernel: k,
        bindings: { p: u.buffer, src: u.buffer, dts: u.buffer },
        workgroups: [1] as const,
      };
      await expect(runDispatches(gpu, 'plumbing', [bad])).rejects.toThrow(/binds 'dts'/);
    } finally {
      scope.release();
    }
  });
});

describe('timed runs', () => {
  it("time each pass with timestamps, the passes' times inside the whole sequence's, and none untimed", async () => {
    const gpu = await testGpu();
    if (!gpu.features.timestampQuery) return; // nothing to time on an adapter without timestamps
    const p = { batch: 1, T: 100, H: 2, P: 8, N: 8, G: 1, Q: 32 };
    const x = ssdFastProgram.makeInputs(p, 3);
    const timed = await ssdFastProgram.run(gpu, p, x, { time: true });
    expect(timed.gpuMs).toBeGreaterThan(0);
    const passes = timed.dispatches.map((d) => d.gpuMs as number);
    expect(passes).toHaveLength(3);
    for (const ms of passes) expect(ms).toBeGreaterThanOrEqual(0);
    // The sequence runs from the first pass's start to the last one's end: the passes lie within it.
    expect(passes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual((timed.gpuMs as number) * (1 + 1e-9));
    const untimed = await ssdFastProgram.run(gpu, p, x);
    expect(untimed.gpuMs).toBeNull();
    expect(untimed.dispatches.every((d) => d.gpuMs === undefined)).toBe(true);
  });

  it('time a run in a stream (Gpu.timedStream): the same outputs from rotated input copies, one record a dispatch, the copies freed', async () => {
    const gpu = await testGpu();
    if (!gpu.features.timestampQuery) return;
    // Folded Flash-Decoding: its arrival counters must be back at 0 for each repeat, or the last one is wrong.
    const p = { b: 1, sq: 1, sk: 300, h: 4, hk: 2, d: 32, causal: false, splits: 3, wg: 32, fuse: true };
    const x = makeAttentionInputs(p, 7);
    const alone = await flashDecodingFastProgram.run(gpu, p, x);
    const made: GPUBuffer[] = [];
    const create = gpu.device.createBuffer.bind(gpu.device);
    gpu.device.createBuffer = (d: GPUBufferDescriptor) => {
      const b = create(d);
      if (String(d.label).includes('.set')) made.push(b);
      return b;
    };
    gpu.timedStream = { repeats: 3, sets: 2 };
    try {
      const s = await flashDecodingFastProgram.run(gpu, p, x, { time: true });
      expect(s.gpuMs).toBeGreaterThan(0);
      expect(s.dispatches).toHaveLength(alone.dispatches.length);
      expect(s.dispatches.every((d) => d.gpuMs === undefined)).toBe(true);
      // Three repeats end on set 0, two on set 1: the outputs of both sets are checked.
      gpu.timedStream = { repeats: 2, sets: 2 };
      const t = await flashDecodingFastProgram.run(gpu, p, x, { time: true });
      for (const r of [s, t])
        for (const k of ['out', 'lse'] as const)
          expect(Array.from(r.outputs[k])).toEqual(Array.from(alone.outputs[k]));
      // q, k and v are only read: one copy each a run (the partials, counters and outputs are written).
      expect(made.map((b) => String(b.label).replace(/^.*\.(\w+)\.set1$/, '$1')).sort()).toEqual([
        'k',
        'k',
        'q',
        'q',
        'v',
        'v',
      ]);
      // Freed: a write into any of them is a validation error.
      for (const b of made) {
        gpu.device.pushErrorScope('validation');
        gpu.device.queue.writeBuffer(b, 0, new Float32Array(1));
        expect(await gpu.device.popErrorScope()).not.toBeNull();
      }
    } finally {
      gpu.timedStream = undefined;
      gpu.device.createBuffer = create;
    }
  });
});
