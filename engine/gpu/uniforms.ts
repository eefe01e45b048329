// Uniform buffers written by field name, with the byte layout reflected from the kernel's own WGSL struct
// (webgpu-utils' reflection, done once when the kernel is built), so no byte offset or field order is kept
// by hand in TypeScript.
// Every field must be given on creation and no unknown name is accepted: a slip is an EngineError, never
// a silently wrong number. Integer fields (u32, i32) refuse non-integers and out-of-range values.

import type { VariableDefinition } from 'webgpu-utils';
import { EngineError } from './errors';
import type { Kernel } from './kernel';
import type { BufferScope } from './tensor';

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

function uniformDef(k: Kernel, name?: string): [string, VariableDefinition] {
  const all = Object.entries(k.defs.uniforms);
  if (name !== undefined) {
    const hit = all.find(([n]) => n === name);
    if (!hit) throw new EngineError(k.label, `has no uniform named '${name}'`);
    return hit;
  }
  if (all.length !== 1)
    throw new EngineError(
      k.label,
      `has ${all.length} uniforms (${all.map(([n]) => n).join(', ')}): name one`,
    );
  return all[0];
}

type Field = { type: { type?: string; size?: number }; offset: number };

/** Element type and count of a scalar or vector field: 'f32' -> ['f32', 1], 'vec2<f32>' / 'vec2f' -> ['f32', 2]. */
function elements(label: string, key: string, type: string): [string, number] {
  if (type === 'u32' || type === 'i32' || type === 'f32') return [type, 1];
  const m = /^vec([234])(?:<(u32|i32|f32)>|([uif]))$/.exec(type);
  if (!m)
    throw new EngineError(label, `uniform field '${key}' has type ${type}, which uniforms.ts cannot write`);
  const el = m[2] ?? { u: 'u32', i: 'i32', f: 'f32' }[m[3] as 'u' | 'i' | 'f'];
  return [el, Number(m[1])];
}

function write(dv: DataView, label: string, key: string, f: Field, v: number | readonly number[]): void {
  const [el, n] = elements(label, key, f.type.type ?? '');
  const xs = typeof v === 'number' ? [v] : v;
  if (xs.length !== n)
    throw new EngineError(label, `uniform field '${key}' takes ${n} values (got ${xs.length})`);
  xs.forEach((x, i) => {
    const at = f.offset + 4 * i;
    if (el === 'u32') dv.setUint32(at, x, true);
    else if (el === 'i32') dv.setInt32(at, x, true);
    else dv.setFloat32(at, x, true);
  });
}

function fieldsOf(def: VariableDefinition): Record<string, Field> {
  const t = def.typeDefinition as { fields?: Record<string, Field> };
  return t.fields ?? {};
}

const INT_RANGE: Record<string, [number, number]> = { u32: [0, 2 ** 32 - 1], i32: [-(2 ** 31), 2 ** 31 - 1] };

function check(label: string, fields: Record<string, Field>, values: UniformValues): void {
  for (const [key, v] of Object.entries(values)) {
    const f = fields[key];
    if (!f)
      throw new EngineError(
        label,
        `uniform has no field '${key}' (fields: ${Object.keys(fields).join(', ')})`,
      );
    const range = INT_RANGE[elements(label, key, f.type.type ?? '')[0]];
    for (const x of typeof v === 'number' ? [v] : v) {
      if (!Number.isFinite(x))
        throw new EngineError(label, `uniform field '${key}' must be finite (got ${x})`);
      if (range && (!Number.isInteger(x) || x < range[0] || x > range[1]))
        throw new EngineError(label, `uniform field '${key}' is ${f.type.type} and cannot hold ${x}`);
    }
  }
}

/** A uniform buffer for `kernel`'s uniform struct (the only one, or `name`), owned by `scope`. */
export function uniformFor(
  scope: BufferScope,
  kernel: Kernel,
  values: UniformValues,
  name?: string,
): Uniform {
  const [varName, def] = uniformDef(kernel, name);
  const label = `${kernel.label}.${varName}`;
  const fields = fieldsOf(def);
  const missing = Object.keys(fields).filter((f) => !(f in values));
  if (missing.length > 0) throw new EngineError(label, `uniform fields not given: ${missing.join(', ')}`);
  check(label, fields, values);
  const bytes = new ArrayBuffer(Math.max(16, Math.ceil(def.size / 16) * 16));
  const dv = new DataView(bytes);
  const gpu = scope.gpu;
  const buffer = scope.keepBuffer(varName, bytes.byteLength, UNIFORM | COPY_DST);
  const set = (v: UniformValues) => {
    check(label, fields, v);
    for (const [key, x] of Object.entries(v)) write(dv, label, key, fields[key], x);
    gpu.device.queue.writeBuffer(buffer, 0, bytes);
  };
  set(values);
  return { buffer, fields: Object.keys(fields), set };
}
