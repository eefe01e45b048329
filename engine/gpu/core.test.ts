import { describe, expect, it } from 'vitest';
import { requestNodeGpu } from '../node/gpu';
import { testGpu } from '../node/testGpu';
import { ssmConvProgram } from '../programs/s4/ssmConv';
import { expectLikeReference } from '../util/testing';
import { EngineError } from './errors';
import { kernel } from './kernel';
import { BufferScope, readF32, upload, dispose } from './tensor';

describe('engine core on Dawn', () => {
  it('finds an adapter and records what it got', async () => {
    const gpu = await testGpu();
    expect(gpu.adapterName.length).toBeGreaterThan(0);
    expect(gpu.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(typeof gpu.features.timestampQuery).toBe('boolean');
  });

  it('round-trips a tensor and tracks live buffers until disposal', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const data = Float32Array.from({ length: 37 }, (_, i) => i * 0.5 - 3);
    const buf = upload(gpu, 'test.roundtrip', data);
    expect(gpu.liveBuffers.size).toBe(before + 1);
    expect(Array.from(await readF32(gpu, buf, 37))).toEqual(Array.from(data));
    dispose(gpu, buf);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('turns a WGSL compile error into an EngineError naming the kernel', async () => {
    const gpu = await testGpu();
    const err = await kernel(gpu, { label: 'test.broken', sources: ['test/broken.wgsl'] }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.label).toBe('test.broken');
    expect(err.message).toMatch(/undefinedThing/);
  });

  it('refuses a buffer larger than the device allows, with a clear message and nothing allocated', async () => {
    const gpu = await testGpu();
    const scope = new BufferScope(gpu, 'test.huge');
    const before = gpu.liveBuffers.size;
    expect(() => scope.storage('x', gpu.limits.maxStorageBufferBindingSize + 16)).toThrow(/MiB per binding/);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('direct causal convolution on the GPU equals the CPU reference at L=257 with H=3, B=2', async () => {
    const gpu = await testGpu();
    await expectLikeReference(gpu, ssmConvProgram, { B: 2, H: 3, L: 257 }, 7);
  });

  it('reports a lost device and can be re-initialised', async () => {
    const first = await requestNodeGpu();
    if (!first.result.ok) throw new Error(first.result.reason);
    const gpu = first.result.gpu;
    const lost = new Promise<string>((resolve) => gpu.onLost(resolve));
    gpu.device.destroy();
    expect(await lost).toMatch(/destroyed/);
    expect(gpu.status).toBe('lost');
    await expect(kernel(gpu, { label: 'test.afterLoss', sources: ['s4/ssmConv.wgsl'] })).rejects.toThrow(
      /lost/,
    );
    const again = await requestNodeGpu();
    expect(again.result.ok).toBe(true);
    if (again.result.ok) again.result.gpu.device.destroy();
  });
});
