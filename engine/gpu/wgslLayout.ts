// The layout a kernel's WGSL declares, read from the WGSL itself: its group-0 bindings (name, binding,
// uniform/read/read_write, and whether the entry point reaches them) and the byte layout of its uniform
// structs (scalars and vectors, WGSL's alignment rules). uniforms.ts writes fields by name from it and
// kernel.ts binds buffers by name. It parses only what declarations need, not expressions.
// Not webgpu-utils: its WGSL parser (1.x and 2.x) rejects `@workgroup_size(TPC * NB)`, valid WGSL
// several kernels use, and 2.x needs Float16Array (absent in Node 20 and Chrome before 135).

export interface FieldLayout {
  offset: number;
  /** 'u32' | 'i32' | 'f32' */
  scalar: string;
  /** 1 for a scalar, 2..4 for a vector. */
  n: number;
}

export interface StructLayout {
  size: number;
  fields: Record<string, FieldLayout>;
}

export interface BindingLayout {
  binding: number;
  name: string;
  access: 'uniform' | 'read' | 'read_write';
  /** The variable's type name (a struct's name for uniforms). */
  type: string;
  /** Reached from the entry point: layout 'auto' leaves the others out of the bind group layout. */
  used: boolean;
}

export interface WgslLayout {
  bindings: BindingLayout[];
  structs: Record<string, StructLayout>;
}

function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
}

const SCALARS = new Set(['u32', 'i32', 'f32']);

/** Scalar element type and count: 'u32' -> ['u32', 1], 'vec2<f32>' and 'vec2f' -> ['f32', 2]. */
function elementsOf(type: string): [string, number] | null {
  if (SCALARS.has(type)) return [type, 1];
  const m = /^vec([234])(?:<\s*(u32|i32|f32)\s*>|([uif]))$/.exec(type);
  if (!m) return null;
  return [m[2] ?? { u: 'u32', i: 'i32', f: 'f32' }[m[3] as 'u' | 'i' | 'f'], Number(m[1])];
}

function structLayout(body: string): StructLayout | null {
  const fields: Record<string, FieldLayout> = {};
  let offset = 0;
  let maxAlign = 4;
  for (const raw of body.split(',')) {
    const m = /^\s*(?:@\w+(?:\([^)]*\))?\s*)*(\w+)\s*:\s*(.+?)\s*$/.exec(raw);
    if (!m) continue;
    const el = elementsOf(m[2]);
    if (!el) return null; // arrays, atomics, nested structs: not a uniform this engine writes
    const [scalar, n] = el;
    const align = n === 1 ? 4 : n === 2 ? 8 : 16;
    offset = Math.ceil(offset / align) * align;
    fields[m[1]] = { offset, scalar, n };
    offset += 4 * n;
    maxAlign = Math.max(maxAlign, align);
  }
  return { size: Math.ceil(offset / maxAlign) * maxAlign, fields };
}

/** Top-level function bodies by name, found by brace matching. */
function functionBodies(code: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\bfn\s+(\w+)\s*\(/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const open = code.indexOf('{', m.index);
    if (open < 0) break;
    let depth = 0;
    let i = open;
    for (; i < code.length; i++) {
      if (code[i] === '{') depth++;
      else if (code[i] === '}' && --depth === 0) break;
    }
    out.set(m[1], code.slice(m.index, i + 1));
    re.lastIndex = i + 1;
  }
  return out;
}

/** Identifiers reached from `entry` through calls (and the globals they name). */
function reachedNames(bodies: Map<string, string>, entry: string): Set<string> {
  const seen = new Set<string>();
  const names = new Set<string>();
  const visit = (fn: string) => {
    if (seen.has(fn)) return;
    seen.add(fn);
    const body = bodies.get(fn);
    if (!body) return;
    for (const id of body.match(/\b[A-Za-z_]\w*\b/g) ?? []) {
      names.add(id);
      if (bodies.has(id)) visit(id);
    }
  };
  visit(entry);
  return names;
}

export function wgslLayout(code: string, entryPoint = 'main'): WgslLayout {
  const src = stripComments(code);
  const structs: Record<string, StructLayout> = {};
  for (const m of src.matchAll(/\bstruct\s+(\w+)\s*\{([^}]*)\}/g)) {
    const layout = structLayout(m[2]);
    if (layout) structs[m[1]] = layout;
  }
  const reached = reachedNames(functionBodies(src), entryPoint);
  const bindings: BindingLayout[] = [];
  const varRe =
    /@group\(\s*0\s*\)\s*@binding\(\s*(\d+)\s*\)\s*var\s*<\s*(uniform|storage)\s*(?:,\s*(read|read_write)\s*)?>\s*(\w+)\s*:\s*([^;]+);/g;
  for (const m of src.matchAll(varRe)) {
    const access = m[2] === 'uniform' ? 'uniform' : m[3] === 'read_write' ? 'read_write' : 'read';
    bindings.push({ binding: Number(m[1]), name: m[4], access, type: m[5].trim(), used: reached.has(m[4]) });
  }
  bindings.sort((a, b) => a.binding - b.binding);
  return { bindings, structs };
}
