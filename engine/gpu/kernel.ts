// Kernel spec -> compute pipeline. Compilation happens inside a validation error scope, and the
// compiler's messages become an EngineError naming the kernel. Pipelines are cached per device.

import type { Gpu } from './device';
import { assertUsable } from './device';
import { EngineError } from './errors';
import { concatSources } from '../shaders';
import { PassTimer } from './timing';

export interface KernelSpec {
  /** program.kernel, used for every label. */
  label: string;
  /** Paths under shaders/, concatenated in order. */
  sources: string[];
  entryPoint?: string;
  /** WGSL `override` constants (workgroup sizes, tile sizes, TRACE). */
  constants?: Record<string, number>;
  /** Prepended text for sizes that must be array lengths (a small template step). */
  prelude?: string;
}

export interface Kernel {
  label: string;
  pipeline: GPUComputePipeline;
}

const cache = new WeakMap<GPUDevice, Map<string, Promise<Kernel>>>();

function cacheKey(spec: KernelSpec): string {
  return JSON.stringify([spec.sources, spec.entryPoint, spec.constants, spec.prelude]);
}

export async function kernel(gpu: Gpu, spec: KernelSpec): Promise<Kernel> {
  assertUsable(gpu, spec.label);
  let perDevice = cache.get(gpu.device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(gpu.device, perDevice);
  }
  const key = cacheKey(spec);
  let hit = perDevice.get(key);
  if (!hit) {
    hit = build(gpu, spec);
    perDevice.set(key, hit);
    hit.catch(() => perDevice?.delete(key));
  }
  return hit;
}

async function build(gpu: Gpu, spec: KernelSpec): Promise<Kernel> {
  const code = (spec.prelude ?? '') + concatSources(spec.sources);
  const { device } = gpu;
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: `${spec.label}.module`, code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    await device.popErrorScope();
    const text = errors.map((m) => `line ${m.lineNum}:${m.linePos} ${m.message}`).join('\n');
    throw new EngineError(spec.label, `WGSL compilation failed:\n${text}`);
  }
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await device.createComputePipelineAsync({
      label: `${spec.label}.pipeline`,
      layout: 'auto',
      compute: { module, entryPoint: spec.entryPoint ?? 'main', constants: spec.constants },
    });
  } catch (err) {
    await device.popErrorScope();
    throw new EngineError(
      spec.label,
      `pipeline creation failed: ${err instanceof Error ? err.message : err}`,
    );
  }
  const scopeErr = await device.popErrorScope();
  if (scopeErr) throw new EngineError(spec.label, `validation error: ${scopeErr.message}`);
  return { label: spec.label, pipeline };
}

export interface Dispatch {
  kernel: Kernel;
  /** Buffers in binding order for @group(0) @binding(0..n-1). */
  bindings: GPUBuffer[];
  workgroups: [number, number?, number?];
}

/** Encodes dispatches as compute passes (one pass each, so timestamps can bracket them). */
export function encodeDispatches(
  gpu: Gpu,
  encoder: GPUCommandEncoder,
  dispatches: Dispatch[],
  timestampWrites?: (i: number) => GPUComputePassTimestampWrites | undefined,
): void {
  dispatches.forEach((d, i) => {
    const [x, y = 1, z = 1] = d.workgroups;
    const maxWg = gpu.limits.maxComputeWorkgroupsPerDimension;
    if (x > maxWg || y > maxWg || z > maxWg) {
      throw new EngineError(d.kernel.label, `grid ${x}×${y}×${z} exceeds ${maxWg} workgroups per dimension`);
    }
    const bindGroup = gpu.device.createBindGroup({
      label: `${d.kernel.label}.bindings`,
      layout: d.kernel.pipeline.getBindGroupLayout(0),
      entries: d.bindings.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const pass = encoder.beginComputePass({
      label: `${d.kernel.label}.pass`,
      timestampWrites: timestampWrites?.(i),
    });
    pass.setPipeline(d.kernel.pipeline);
    pass.setBindGroup(0, bindGroup);
    if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
    pass.end();
  });
}

/**
 * Submits the dispatches in one command buffer inside a validation scope and waits for the queue.
 * Returns the GPU time of the whole sequence in ms when timestamp queries are available.
 */
export async function runDispatches(
  gpu: Gpu,
  label: string,
  dispatches: Dispatch[],
  opts: { time?: boolean } = {},
): Promise<{ gpuMs: number | null }> {
  assertUsable(gpu, label);
  const { device } = gpu;
  const timer = opts.time && gpu.features.timestampQuery ? new PassTimer(gpu, label) : null;
  device.pushErrorScope('validation');
  const encoder = device.createCommandEncoder({ label });
  try {
    encodeDispatches(gpu, encoder, dispatches, timer ? (i) => timer.writes(i, dispatches.length) : undefined);
  } catch (err) {
    await device.popErrorScope();
    throw err;
  }
  timer?.resolve(encoder);
  device.queue.submit([encoder.finish()]);
  const err = await device.popErrorScope();
  if (err) {
    timer?.destroy();
    throw new EngineError(label, `validation error: ${err.message}`);
  }
  await device.queue.onSubmittedWorkDone();
  const gpuMs = timer ? await timer.read() : null;
  return { gpuMs };
}
