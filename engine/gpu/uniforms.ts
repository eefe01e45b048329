// Uniform buffers written by field name, with the byte layout read from the kernel's own WGSL struct
// (wgslLayout.ts, once when the kernel is built), so no byte offset or field order is kept by hand in
// TypeScript. Every field must be given on creation and no unknown name is accepted: a slip is an
// EngineError, never a silently wrong number. Integer fields (u32, i32) refuse non-integers and
// out-of-range values.

import { EngineError } from './errors';
import type { Kernel } from './kernel';
import type { BufferScope } from './tensor';
import type { FieldLayout, StructLayout } from './wgslLayout';

export type UniformValues = Readonly<Record<string, number | readonly number[]>>;

export interface Uniform {
  buffer: GPUBuffer;
  /** The struct's field names, in WGSL order. */
  fields: readonly string[];
  /** Writes the named fields (the rest keep their values) to the device. */
  set(values: UniformValues): void;
}

const UNIFORM = 0x40;
const COPY_DST = 0x8;

function uniformStruct(k: Kernel, name?: string): [string, StructLayout] {
  const all = k.layout.bindings.filter((b) => b.access === 'uniform' && b.used);
  const hit = name === undefined ? all : all.filter((b) => b.name === name);
  if (hit.length !== 1)
    throw new EngineError(
      k.label,
      name === undefined
        ? `has ${all.length} uniforms (${all.map((b) => b.name).join(', ')}): name one`
        : `has no uniform named '${name}'`,
    );
  const struct = k.layout.structs[hit[0].type];
  if (!struct)
    throw new EngineError(k.label, `uniform '${hit[0].name}' is not a struct of scalars and vectors`);
  return [hit[0].name, struct];
}

const INT_RANGE: Record<string, [number, number]> = { u32: [0, 2 ** 32 - 1], i32: [-(2 ** 31), 2 ** 31 - 1] };

function check(label: string, fields: Record<string, FieldLayout>, values: UniformValues): void {
  for (const [key, v] of Object.entries(values)) {
    const f = fields[key];
    if (!f)
      throw new EngineError(
        label,
        `uniform has no field '${key}' (fields: ${Object.keys(fields).join(', ')})`,
      );
    const xs = typeof v === 'number' ? [v] : v;
    if (xs.length !== f.n)
      throw new EngineError(label, `uniform field '${key}' takes ${f.n} values (got ${xs.length})`);
    const range = INT_RANGE[f.scalar];
    for (const x of xs) {
      if (!Number.isFinite(x))
        throw new EngineError(label, `uniform field '${key}' must be finite (got ${x})`);
      if (range && (!Number.isInteger(x) || x < range[0] || x > range[1]))
        throw new EngineError(label, `uniform field '${key}' is ${f.scalar} and cannot hold ${x}`);
    }
  }
}

function write(dv: DataView, f: FieldLayout, v: number | readonly number[]): void {
  (typeof v === 'number' ? [v] : v).forEach((x, i) => {
    const at = f.offset + 4 * i;
    if (f.scalar === 'u32') dv.setUint32(at, x, true);
    else if (f.scalar === 'i32') dv.setInt32(at, x, true);
    else dv.setFloat32(at, x, true);
  });
}

/** A uniform buffer for `kernel`'s uniform struct (the only one, or `name`), owned by `scope`. */
export function uniformFor(
  scope: BufferScope,
  kernel: Kernel,
  values: UniformValues,
  name?: string,
): Uniform {
  const [varName, struct] = uniformStruct(kernel, name);
  const label = `${kernel.label}.${varName}`;
  const { fields } = struct;
  const missing = Object.keys(fields).filter((f) => !(f in values));
  if (missing.length > 0) throw new EngineError(label, `uniform fields not given: ${missing.join(', ')}`);
  check(label, fields, values);
  const bytes = new ArrayBuffer(Math.max(16, Math.ceil(struct.size / 16) * 16));
  const dv = new DataView(bytes);
  const gpu = scope.gpu;
  const buffer = scope.keepBuffer(
    `${kernel.label.split('.').pop()}.${varName}`,
    bytes.byteLength,
    UNIFORM | COPY_DST,
  );
  const set = (v: UniformValues) => {
    check(label, fields, v);
    for (const [key, x] of Object.entries(v)) write(dv, fields[key], x);
    gpu.device.queue.writeBuffer(buffer, 0, bytes);
  };
  set(values);
  return { buffer, fields: Object.keys(fields), set };
}

/**
 * uniformFor with the fields read by name from `src`, a params object whose names the WGSL struct shares
 * (true/false as 1/0), and `extra` over them: a field is then never written twice (`N: p.N`). src's other
 * properties are not read; a field that neither holds is refused as in uniformFor.
 */
export function uniformFrom(
  scope: BufferScope,
  kernel: Kernel,
  src: object,
  extra: UniformValues = {},
  name?: string,
): Uniform {
  const [, struct] = uniformStruct(kernel, name);
  const values: Record<string, number | readonly number[]> = { ...extra };
  for (const f of Object.keys(struct.fields)) {
    const v = (src as Record<string, unknown>)[f];
    if (f in extra || v === undefined) continue;
    values[f] = typeof v === 'boolean' ? Number(v) : (v as number | readonly number[]);
  }
  return uniformFor(scope, kernel, values, name);
}
