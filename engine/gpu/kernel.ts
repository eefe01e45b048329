// Kernel spec -> compute pipeline, and dispatches -> one submission with a record of what ran.
// Compilation happens inside a validation error scope, and the compiler's messages become an EngineError
// naming the kernel. Pipelines are cached per device. Each kernel keeps its WGSL and the binding and
// uniform layouts read from it (wgslLayout.ts), so uniforms are filled and buffers bound by name.

import { concatSources } from '../shaders';
import { TRACE_KINDS_WGSL, type TraceTable } from '../trace/tensors';
import type { Gpu } from './device';
import { assertUsable } from './device';
import { EngineError } from './errors';
import { USAGE } from './tensor';
import { PassTimer } from './timing';
import { type WgslLayout, wgslLayout } from './wgslLayout';

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
  /** Extensions the module enables (`enable subgroups;`), written before everything else. */
  enable?: readonly string[];
  /**
   * Diagnostics turned off for the whole module (`diagnostic(off, chromium.subgroup_matrix_uniformity);`), written
   * after the `enable`s: WGSL's uniformity analysis is per workgroup, so a value uniform within each
   * subgroup (the subgroup's slice of workgroup memory) needs this to reach the subgroup-matrix builtins.
   */
  diagnosticsOff?: readonly string[];
  /** The kernel's trace table: its `T_*`/`PHASE_*` constants are prepended and its captures decoded by it. */
  trace?: TraceTable;
}

export interface Kernel {
  label: string;
  pipeline: GPUComputePipeline;
  spec: Readonly<KernelSpec>;
  /** The WGSL that was compiled, prelude and all. */
  code: string;
  /** Group-0 bindings and uniform struct layouts read from `code`. */
  layout: WgslLayout;
}

const cache = new WeakMap<GPUDevice, Map<string, Promise<Kernel>>>();

function cacheKey(spec: KernelSpec): string {
  return JSON.stringify([
    spec.label,
    spec.sources,
    spec.entryPoint,
    spec.constants,
    spec.prelude,
    spec.enable,
    spec.diagnosticsOff,
    spec.trace?.wgsl,
  ]);
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

/**
 * The full WGSL of a spec (or of a DispatchRecord, for a "kernel" panel): `enable` directives, generated
 * trace constants, the prelude, then the sources in order. What kernel() compiles, byte for byte.
 */
export async function kernelCode(spec: {
  sources: readonly string[];
  prelude?: string;
  enable?: readonly string[];
  diagnosticsOff?: readonly string[];
  trace?: TraceTable;
}): Promise<string> {
  const traced = spec.sources.includes('common/trace.wgsl');
  const directives =
    (spec.enable ?? []).map((e) => `enable ${e};\n`).join('') +
    (spec.diagnosticsOff ?? []).map((d) => `diagnostic(off, ${d});\n`).join('');
  const generated = (traced ? TRACE_KINDS_WGSL : '') + (spec.trace?.wgsl ?? '');
  return directives + generated + (spec.prelude ?? '') + (await concatSources(spec.sources));
}

async function build(gpu: Gpu, spec: KernelSpec): Promise<Kernel> {
  const code = await kernelCode(spec);
  const { device } = gpu;
  // The error scope brackets createShaderModule alone, with no await inside it: a scope held across an
  // await catches whatever else the page does meanwhile (another run's destroyed buffers) as this
  // kernel's error. Compilation errors come from getCompilationInfo, pipeline errors from the rejection.
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: `${spec.label}.module`, code });
  const moduleErr = device.popErrorScope().catch(() => null);
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    const text = errors.map((m) => `line ${m.lineNum}:${m.linePos} ${m.message}`).join('\n');
    throw new EngineError(spec.label, `WGSL compilation failed:\n${text}`);
  }
  const scopeErr = await moduleErr;
  if (scopeErr) throw new EngineError(spec.label, `validation error: ${scopeErr.message}`);
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await device.createComputePipelineAsync({
      label: `${spec.label}.pipeline`,
      layout: 'auto',
      compute: { module, entryPoint: spec.entryPoint ?? 'main', constants: spec.constants },
    });
  } catch (err) {
    throw new EngineError(
      spec.label,
      `pipeline creation failed: ${err instanceof Error ? err.message : err}`,
    );
  }
  return {
    label: spec.label,
    pipeline,
    spec: Object.freeze({ ...spec }),
    code,
    layout: wgslLayout(code, spec.entryPoint ?? 'main'),
  };
}

export interface Dispatch {
  kernel: Kernel;
  /** Buffers in binding order for @group(0) @binding(0..n-1), or by the WGSL variable's name. */
  bindings: GPUBuffer[] | Readonly<Record<string, GPUBuffer>>;
  workgroups: readonly [number, number?, number?];
}

/** One buffer a dispatch bound. */
export interface BoundBuffer {
  binding: number;
  /** The WGSL variable bound there ('' where the layout has no name for it). */
  name: string;
  /** The buffer's label: program.kernel.thing. */
  label: string;
  bytes: number;
  access: 'uniform' | 'read' | 'read_write';
}

/** What one dispatch was: enough to show the kernel and what the GPU did, and to find its WGSL. */
export interface DispatchRecord {
  label: string;
  /** Paths under shaders/, in the order they were concatenated. */
  sources: readonly string[];
  entryPoint: string;
  constants: Readonly<Record<string, number>>;
  /** Generated and templated text before the sources (trace constants, array sizes). */
  prelude: string;
  /** The extensions it enabled (subgroups), where any. */
  enable?: readonly string[];
  /** The diagnostics it turned off, where any. */
  diagnosticsOff?: readonly string[];
  workgroups: [number, number, number];
  bindings: BoundBuffer[];
  /** Its pass's GPU time in ms, where the run was timed with timestamps at every pass. */
  gpuMs?: number;
}

type Slot = Pick<BoundBuffer, 'binding' | 'name' | 'access'>;

/** The group-0 slots the entry point uses, by binding number (what layout 'auto' puts in the layout). */
function slots(k: Kernel): Slot[] {
  return k.layout.bindings.filter((b) => b.used);
}

function bindingEntries(d: Dispatch): Array<{ slot: Slot; buffer: GPUBuffer }> {
  const all = slots(d.kernel);
  if (Array.isArray(d.bindings)) {
    return (d.bindings as GPUBuffer[]).map((buffer, binding) => ({
      buffer,
      slot: all.find((s) => s.binding === binding) ?? { binding, name: '', access: 'read_write' },
    }));
  }
  const named = d.bindings as Readonly<Record<string, GPUBuffer>>;
  // A name the module declares but this entry point never uses is left out, as layout 'auto' leaves it out.
  for (const key of Object.keys(named))
    if (!d.kernel.layout.bindings.some((b) => b.name === key))
      throw new EngineError(d.kernel.label, `binds '${key}', which the kernel does not declare`);
  return all.map((slot) => {
    const buffer = named[slot.name];
    if (!buffer) throw new EngineError(d.kernel.label, `no buffer bound to '${slot.name}'`);
    return { slot, buffer };
  });
}

/** Encodes dispatches as compute passes (one pass each, so timestamps can bracket them). */
export function encodeDispatches(
  gpu: Gpu,
  encoder: GPUCommandEncoder,
  dispatches: readonly Dispatch[],
  timestampWrites?: (i: number) => GPUComputePassTimestampWrites | undefined,
): DispatchRecord[] {
  return dispatches.map((d, i) => {
    const [x, y = 1, z = 1] = d.workgroups;
    const maxWg = gpu.limits.maxComputeWorkgroupsPerDimension;
    if (x > maxWg || y > maxWg || z > maxWg) {
      throw new EngineError(d.kernel.label, `grid ${x}×${y}×${z} exceeds ${maxWg} workgroups per dimension`);
    }
    const entries = bindingEntries(d);
    const bindGroup = gpu.device.createBindGroup({
      label: `${d.kernel.label}.bindings`,
      layout: d.kernel.pipeline.getBindGroupLayout(0),
      entries: entries.map(({ slot, buffer }) => ({ binding: slot.binding, resource: { buffer } })),
    });
    const pass = encoder.beginComputePass({
      label: `${d.kernel.label}.pass`,
      timestampWrites: timestampWrites?.(i),
    });
    pass.setPipeline(d.kernel.pipeline);
    pass.setBindGroup(0, bindGroup);
    if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
    pass.end();
    return recordOf(d, [x, y, z], entries);
  });
}

function recordOf(
  d: Dispatch,
  workgroups: [number, number, number],
  entries: Array<{ slot: Slot; buffer: GPUBuffer }>,
): DispatchRecord {
  const { spec } = d.kernel;
  return {
    label: d.kernel.label,
    sources: spec.sources,
    entryPoint: spec.entryPoint ?? 'main',
    constants: spec.constants ?? {},
    prelude: (spec.trace?.wgsl ?? '') + (spec.prelude ?? ''),
    ...(spec.enable ? { enable: spec.enable } : {}),
    ...(spec.diagnosticsOff ? { diagnosticsOff: spec.diagnosticsOff } : {}),
    workgroups,
    bindings: entries.map(({ slot, buffer }) => ({
      binding: slot.binding,
      name: slot.name,
      label: String(buffer.label),
      bytes: buffer.size,
      access: slot.access,
    })),
  };
}

/**
 * Submits the dispatches in one command buffer inside a validation scope and waits for the queue.
 * Returns the GPU time of the whole sequence in ms when timestamp queries are available, and a record of
 * every dispatch (with its own pass's time, where timed).
 */
export async function runDispatches(
  gpu: Gpu,
  label: string,
  dispatches: readonly Dispatch[],
  opts: { time?: boolean } = {},
): Promise<{ gpuMs: number | null; dispatches: DispatchRecord[] }> {
  assertUsable(gpu, label);
  const { device } = gpu;
  const stamped = opts.time && gpu.features.timestampQuery;
  const stream = stamped ? gpu.timedStream : undefined;
  const repeats = stream ? Math.max(1, Math.floor(stream.repeats)) : 1;
  const { sets, copies } = stream
    ? streamSets(gpu, label, dispatches, stream.sets)
    : { sets: [dispatches], copies: [] };
  const freeCopies = () => {
    for (const b of copies) b.destroy();
  };
  if (opts.time && gpu.beforeTimedRun) await gpu.beforeTimedRun();
  const n = dispatches.length;
  const timer = stamped ? new PassTimer(gpu, label, n * repeats, !!stream) : null;
  device.pushErrorScope('validation');
  const encoder = device.createCommandEncoder({ label });
  let records: DispatchRecord[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      const rec = encodeDispatches(
        gpu,
        encoder,
        sets[r % sets.length],
        timer ? (i) => timer.writes(r * n + i) : undefined,
      );
      if (r === 0) records = rec;
    }
  } catch (err) {
    await device.popErrorScope();
    timer?.destroy();
    freeCopies();
    throw err;
  }
  timer?.resolve(encoder);
  device.queue.submit([encoder.finish()]);
  const err = await device.popErrorScope();
  if (err) {
    timer?.destroy();
    freeCopies();
    throw new EngineError(label, `validation error: ${err.message}`);
  }
  await device.queue.onSubmittedWorkDone();
  freeCopies();
  const times = timer ? await timer.read() : null;
  times?.passes?.forEach((ms, i) => {
    records[i].gpuMs = ms;
  });
  return { gpuMs: times?.total == null ? null : times.total / repeats, dispatches: records };
}

/**
 * The dispatch list `sets` times (Gpu.timedStream): set 0 as given, each other set with its own copy of
 * every buffer the list only reads (bound, wherever it is bound, as `read` storage), made and filled here
 * in a submission of its own, before the timed one.
 */
function streamSets(
  gpu: Gpu,
  label: string,
  dispatches: readonly Dispatch[],
  sets: number,
): { sets: (readonly Dispatch[])[]; copies: GPUBuffer[] } {
  const count = Math.max(1, Math.floor(sets));
  if (count === 1) return { sets: [dispatches], copies: [] };
  const access = new Map<GPUBuffer, boolean>(); // buffer → read only everywhere
  for (const d of dispatches)
    for (const { slot, buffer } of bindingEntries(d))
      access.set(buffer, (access.get(buffer) ?? true) && slot.access === 'read');
  // (A buffer made without COPY_SRC cannot be copied: every set shares it.)
  const inputs = [...access].filter(([b, only]) => only && b.usage & USAGE.COPY_SRC).map(([b]) => b);
  const encoder = gpu.device.createCommandEncoder({ label: `${label}.streamSets` });
  const out: (readonly Dispatch[])[] = [dispatches];
  const copies: GPUBuffer[] = [];
  for (let s = 1; s < count; s++) {
    const twin = new Map<GPUBuffer, GPUBuffer>();
    for (const b of inputs) {
      const c = gpu.device.createBuffer({
        label: `${b.label}.set${s}`,
        size: b.size,
        usage: b.usage | USAGE.COPY_DST,
      });
      copies.push(c);
      encoder.copyBufferToBuffer(b, 0, c, 0, b.size);
      twin.set(b, c);
    }
    const swap = (b: GPUBuffer) => twin.get(b) ?? b;
    out.push(
      dispatches.map((d) => ({
        ...d,
        bindings: Array.isArray(d.bindings)
          ? (d.bindings as GPUBuffer[]).map(swap)
          : Object.fromEntries(
              Object.entries(d.bindings as Readonly<Record<string, GPUBuffer>>).map(([k, b]) => [k, swap(b)]),
            ),
      })),
    );
  }
  gpu.device.queue.submit([encoder.finish()]);
  return { sets: out, copies };
}
