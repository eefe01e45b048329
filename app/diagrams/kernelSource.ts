// The "Kernel" view's pure helpers: the distinct kernels among a run's dispatches, a tiny WGSL tokenizer
// (comments, keywords, attributes, numbers; nothing a highlighter library would add), the lines of
// interest (the entry point's fn, barriers, workgroup declarations, file headers) and the workgroup size
// read from the entry's @workgroup_size. Text only: the component renders tokens as text, never as HTML.

import type { DispatchRecord } from '../../engine';

/** Dispatches that ran the same WGSL with the same entry point and constants: one kernel to read. */
export interface KernelVariant {
  /** Stable key of the variant (sources, prelude, entry point, constants). */
  key: string;
  /** The first dispatch of this variant (what kernelCode() is given). */
  record: DispatchRecord;
  /** Positions (0-based) of every dispatch of this variant, in run order. */
  indices: number[];
}

export function variantKey(d: DispatchRecord): string {
  return JSON.stringify([d.sources, d.prelude, d.entryPoint, Object.entries(d.constants)]);
}

/** The distinct kernels in first-run order. */
export function kernelVariants(dispatches: readonly DispatchRecord[]): KernelVariant[] {
  const byKey = new Map<string, KernelVariant>();
  dispatches.forEach((record, i) => {
    const key = variantKey(record);
    const seen = byKey.get(key);
    if (seen) seen.indices.push(i);
    else byKey.set(key, { key, record, indices: [i] });
  });
  return [...byKey.values()];
}

export type TokenKind = 'comment' | 'keyword' | 'attribute' | 'number' | 'text';

export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set(
  (
    'alias break case const const_assert continue continuing default diagnostic discard else enable fn for ' +
    'if let loop override requires return struct switch var while true false ' +
    'workgroup storage uniform private function read read_write'
  ).split(' '),
);

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)[iufh]?/y;

function pushText(line: Token[], kind: TokenKind, text: string): void {
  const last = line[line.length - 1];
  if (last && last.kind === kind) last.text += text;
  else line.push({ kind, text });
}

/**
 * The WGSL as lines of tokens. Line and block comments (block comments nest, as WGSL says) may span lines;
 * joining every line's token texts gives the line back exactly.
 */
export function tokenizeWgsl(code: string): Token[][] {
  const lines: Token[][] = [];
  let line: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < code.length) {
    const ch = code[i];
    if (ch === '\n') {
      lines.push(line);
      line = [];
      i++;
    } else if (depth > 0) {
      if (code.startsWith('*/', i)) depth--;
      else if (code.startsWith('/*', i)) depth++;
      const step = code.startsWith('*/', i) || code.startsWith('/*', i) ? 2 : 1;
      pushText(line, 'comment', code.slice(i, i + step));
      i += step;
    } else if (code.startsWith('//', i)) {
      const end = code.indexOf('\n', i);
      const stop = end === -1 ? code.length : end;
      pushText(line, 'comment', code.slice(i, stop));
      i = stop;
    } else if (code.startsWith('/*', i)) {
      depth = 1;
      pushText(line, 'comment', '/*');
      i += 2;
    } else if (ch === '@') {
      WORD.lastIndex = i + 1;
      const m = WORD.exec(code);
      pushText(line, m ? 'attribute' : 'text', m ? `@${m[0]}` : '@');
      i += m ? m[0].length + 1 : 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      WORD.lastIndex = i;
      const word = (WORD.exec(code) as RegExpExecArray)[0];
      pushText(line, KEYWORDS.has(word) ? 'keyword' : 'text', word);
      i += word.length;
    } else if (/[0-9.]/.test(ch)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(code);
      const text = m ? m[0] : ch;
      pushText(line, m ? 'number' : 'text', text);
      i += text.length;
    } else {
      pushText(line, 'text', ch);
      i++;
    }
  }
  lines.push(line);
  return lines;
}

export type MarkKind = 'file' | 'entry' | 'barrier' | 'workgroupVar';

export interface LineMark {
  /** 1-based line number. */
  line: number;
  kind: MarkKind;
  /** What the mark is about: the file path, the entry name, the barrier call or the variable's name. */
  detail: string;
}

const FILE_HEADER = /^\/\/ ---- shaders\/(\S+)$/;

/** The line's code with comments left out (what marks other than file headers are read from). */
const codeOf = (tokens: readonly Token[]) =>
  tokens
    .filter((t) => t.kind !== 'comment')
    .map((t) => t.text)
    .join('');

/**
 * The lines of interest: each source file's header (concatSources writes `// ---- shaders/<path>`), the
 * entry point's `fn` line, every `workgroupBarrier()`/`storageBarrier()` call and every `var<workgroup>`
 * declaration. Text inside comments never counts as code.
 */
export function lineMarks(lines: readonly (readonly Token[])[], entryPoint: string): LineMark[] {
  const marks: LineMark[] = [];
  const entry = new RegExp(`\\bfn\\s+${entryPoint.replace(/\W/g, '')}\\s*\\(`);
  lines.forEach((tokens, i) => {
    const line = i + 1;
    const whole = tokens.map((t) => t.text).join('');
    const file = FILE_HEADER.exec(whole);
    if (file) marks.push({ line, kind: 'file', detail: file[1] });
    const code = codeOf(tokens);
    if (entry.test(code)) marks.push({ line, kind: 'entry', detail: entryPoint });
    for (const m of code.matchAll(/\b(workgroupBarrier|storageBarrier|workgroupUniformLoad)\s*\(/g))
      marks.push({ line, kind: 'barrier', detail: m[1] });
    for (const m of code.matchAll(/\bvar\s*<\s*workgroup\s*>\s*([A-Za-z_][A-Za-z0-9_]*)/g))
      marks.push({ line, kind: 'workgroupVar', detail: m[1] });
  });
  return marks;
}

/** Source files in the order they were concatenated, with the line each begins on. */
export function fileStarts(marks: readonly LineMark[]): Array<{ path: string; line: number }> {
  return marks.filter((m) => m.kind === 'file').map((m) => ({ path: m.detail, line: m.line }));
}

/** Values of `override`/`const` declarations with a plain integer initialiser. */
function declaredIntegers(code: string): Map<string, number> {
  const out = new Map<string, number>();
  const decl = /\b(?:override|const)\s+([A-Za-z_]\w*)\s*(?::\s*[a-z0-9]+\s*)?=\s*([0-9]+)[iu]?\s*;/g;
  for (const m of code.matchAll(decl)) out.set(m[1], Number(m[2]));
  return out;
}

/** An @workgroup_size argument: an integer, a name, or a product of those; null when it is anything else. */
function evaluate(expr: string, value: (name: string) => number | undefined): number | null {
  let product = 1;
  for (const part of expr.split('*').map((s) => s.trim())) {
    const literal = /^([0-9]+)[iu]?$/.exec(part);
    const v = literal ? Number(literal[1]) : /^[A-Za-z_]\w*$/.test(part) ? value(part) : undefined;
    if (v === undefined || !Number.isInteger(v) || v < 1) return null;
    product *= v;
  }
  return product;
}

/**
 * The entry point's workgroup size (x, y, z) from its @workgroup_size attribute, with names resolved
 * through the dispatch's override constants, then the module's own integer `override`/`const` defaults.
 * Null where the entry or its attribute is not found or an argument is not such an expression.
 */
export function workgroupSize(
  code: string,
  entryPoint: string,
  constants: Readonly<Record<string, number>>,
): [number, number, number] | null {
  const stripped = tokenizeWgsl(code).map(codeOf).join('\n');
  const fn = new RegExp(`\\bfn\\s+${entryPoint.replace(/\W/g, '')}\\s*\\(`).exec(stripped);
  if (!fn) return null;
  const before = stripped.slice(0, fn.index);
  const head = before.slice(Math.max(before.lastIndexOf('}'), before.lastIndexOf(';')) + 1);
  const attr = /@workgroup_size\s*\(([^)]*)\)/.exec(head);
  if (!attr) return null;
  const declared = declaredIntegers(stripped);
  const value = (name: string) => (name in constants ? constants[name] : declared.get(name));
  const args = attr[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (args.length < 1 || args.length > 3) return null;
  const dims = args.map((a) => evaluate(a, value));
  if (dims.some((d) => d === null)) return null;
  const [x, y = 1, z = 1] = dims as number[];
  return [x, y, z];
}
