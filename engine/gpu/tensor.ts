// GPU buffers for the engine: upload, allocation, readback, labels and live-buffer tracking.
// Every buffer made here is counted in gpu.liveBuffers until dispose(); tests read that count.

import type { Gpu } from './device';
import { EngineError } from './errors';

export type HostArray = Float32Array | Uint32Array | Int32Array;

/** GPUBufferUsage's flags by name. */
export const USAGE = GPUBufferUsageFlags();

function GPUBufferUsageFlags() {
  // Numeric values from the WebGPU spec, so this module loads before globals are installed in Node.
  return { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
}

/** The largest storage buffer a device takes in one binding. */
export function bindingLimit(limits: Pick<Gpu['limits'], 'maxStorageBufferBindingSize' | 'maxBufferSize'>) {
  return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
}

/** The size createStorage gives a buffer of `bytes`: rounded up to 16, at least 16. */
export const storageBytes = (bytes: number): number => Math.max(16, Math.ceil(bytes / 16) * 16);

function checkSize(gpu: Gpu, label: string, bytes: number): void {
  const max = bindingLimit(gpu.limits);
  if (bytes > max) {
    throw new EngineError(
      label,
      `needs a ${(bytes / 2 ** 20).toFixed(1)} MiB buffer but this device allows ${(max / 2 ** 20).toFixed(1)} MiB per binding`,
    );
  }
}

/** A storage buffer of `bytes` (rounded up to 16), zero-initialised. */
export function createStorage(gpu: Gpu, label: string, bytes: number): GPUBuffer {
  const size = storageBytes(bytes);
  checkSize(gpu, label, size);
  const buf = gpu.device.createBuffer({
    label,
    size,
    usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST,
  });
  gpu.liveBuffers.add(buf);
  return buf;
}

/** A storage buffer holding `data`. */
export function upload(gpu: Gpu, label: string, data: HostArray | ArrayLike<number>): GPUBuffer {
  const arr = ArrayBuffer.isView(data) ? (data as HostArray) : Float32Array.from(data as ArrayLike<number>);
  const buf = createStorage(gpu, label, arr.byteLength);
  if (arr.byteLength > 0) gpu.device.queue.writeBuffer(buf, 0, arr.buffer, arr.byteOffset, arr.byteLength);
  return buf;
}

export type UniformField = ['u32' | 'i32' | 'f32', number];

/** A uniform buffer packed from scalar fields in order (4 bytes each, padded to 16). */
export function uniform(gpu: Gpu, label: string, fields: UniformField[]): GPUBuffer {
  const size = Math.max(16, Math.ceil((fields.length * 4) / 16) * 16);
  const ab = new ArrayBuffer(size);
  const dv = new DataView(ab);
  fields.forEach(([t, v], i) => {
    if (t === 'u32') dv.setUint32(i * 4, v, true);
    else if (t === 'i32') dv.setInt32(i * 4, v, true);
    else dv.setFloat32(i * 4, v, true);
  });
  const buf = gpu.device.createBuffer({ label, size, usage: USAGE.UNIFORM | USAGE.COPY_DST });
  gpu.liveBuffers.add(buf);
  gpu.device.queue.writeBuffer(buf, 0, ab);
  return buf;
}

/** Copies `buf` (or its first `bytes`) to the host. */
export async function readback(gpu: Gpu, buf: GPUBuffer, bytes = buf.size): Promise<ArrayBuffer> {
  const size = Math.ceil(bytes / 4) * 4;
  const staging = gpu.device.createBuffer({
    label: `${buf.label}.readback`,
    size: Math.max(4, size),
    usage: USAGE.MAP_READ | USAGE.COPY_DST,
  });
  const enc = gpu.device.createCommandEncoder({ label: `${buf.label}.readback` });
  if (size > 0) enc.copyBufferToBuffer(buf, 0, staging, 0, size);
  gpu.device.queue.submit([enc.finish()]);
  try {
    await staging.mapAsync(1 /* GPUMapMode.READ */);
    return staging.getMappedRange().slice(0, bytes);
  } catch (err) {
    throw new EngineError(String(buf.label), `readback failed: ${err instanceof Error ? err.message : err}`);
  } finally {
    staging.destroy();
  }
}

export async function readF32(gpu: Gpu, buf: GPUBuffer, count?: number): Promise<Float32Array> {
  return new Float32Array(await readback(gpu, buf, count === undefined ? buf.size : count * 4));
}

export async function readU32(gpu: Gpu, buf: GPUBuffer, count?: number): Promise<Uint32Array> {
  return new Uint32Array(await readback(gpu, buf, count === undefined ? buf.size : count * 4));
}

export function dispose(gpu: Gpu, ...bufs: Array<GPUBuffer | undefined | null>): void {
  for (const b of bufs) {
    if (!b) continue;
    gpu.liveBuffers.delete(b);
    b.destroy();
  }
}

/**
 * A scope that owns every buffer it makes; `using`-style: call release() in a finally block.
 * Programs make their buffers through a scope so an exception never leaks GPU memory.
 */
export class BufferScope {
  private readonly owned: GPUBuffer[] = [];
  constructor(
    readonly gpu: Gpu,
    readonly prefix: string,
  ) {}
  storage(name: string, bytes: number): GPUBuffer {
    return this.keep(createStorage(this.gpu, `${this.prefix}.${name}`, bytes));
  }
  upload(name: string, data: HostArray | ArrayLike<number>): GPUBuffer {
    return this.keep(upload(this.gpu, `${this.prefix}.${name}`, data));
  }
  /**
   * A storage buffer of `bytes` written with zeros from the host: initialised before any pass, so Dawn
   * does not clear it lazily inside the first pass that uses it (inside that pass's timestamps). For the
   * scratch and outputs of a kernel measured for speed.
   */
  zeroed(name: string, bytes: number): GPUBuffer {
    return this.upload(name, new Uint8Array(storageBytes(bytes)));
  }
  /** Each named host array uploaded as float32 under its own name; an absent (null) one stays null. */
  uploadAll<T extends Record<string, ArrayLike<number> | null | undefined>>(
    arrays: T,
  ): { [K in keyof T]: T[K] extends ArrayLike<number> ? GPUBuffer : GPUBuffer | null } {
    const out: Record<string, GPUBuffer | null> = {};
    for (const [name, v] of Object.entries(arrays))
      out[name] = v ? this.upload(name, Float32Array.from(v)) : null;
    return out as { [K in keyof T]: T[K] extends ArrayLike<number> ? GPUBuffer : GPUBuffer | null };
  }
  uniform(name: string, fields: UniformField[]): GPUBuffer {
    return this.keep(uniform(this.gpu, `${this.prefix}.${name}`, fields));
  }
  /** A buffer of `bytes` with `usage` (uniforms: engine/gpu/uniforms.ts), labelled and owned by the scope. */
  keepBuffer(name: string, bytes: number, usage: number): GPUBuffer {
    const buf = this.gpu.device.createBuffer({ label: `${this.prefix}.${name}`, size: bytes, usage });
    this.gpu.liveBuffers.add(buf);
    return this.keep(buf);
  }
  keep(b: GPUBuffer): GPUBuffer {
    this.owned.push(b);
    return b;
  }
  release(): void {
    dispose(this.gpu, ...this.owned.splice(0));
  }
}
