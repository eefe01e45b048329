// The layout rules of docs/architecture.md, checked on the tree so they cannot drift: where files go,
// what a family may import, what a stage composite may declare, file sizes, import cycles, and the
// plumbing every program must go through (one grid fold, uniforms by name, generated trace ids).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FAMILIES = ['s4', 'mamba', 'ssd', 'attention', 'linearAttention', 'rnn', 'layers'];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) walk(rel, out);
    else out.push(rel);
  }
  return out;
}

const sources = (dir: string, ext = /\.(ts|tsx)$/) => walk(dir).filter((f) => ext.test(f));
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

/**
 * Relative import targets of a file, resolved to repo paths (without extension). `lazy: false` keeps the
 * static value imports only: neither a type import nor a dynamic import() can form an evaluation-order cycle.
 */
function imports(file: string, lazy = true): string[] {
  const out: string[] = [];
  if (lazy) {
    for (const m of read(file).matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g))
      out.push(normalize(join(dirname(file), m[1])).replace(/\.(ts|tsx)$/, ''));
    return out;
  }
  // Static value imports only: `import type` is erased, a lazy import() loads after evaluation.
  for (const m of read(file).matchAll(
    /^(?:import|export)(\s+type\b)?[^;'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
  ))
    if (!m[1]) out.push(normalize(join(dirname(file), m[2])).replace(/\.(ts|tsx)$/, ''));
  return out;
}

function resolveFile(target: string): string | null {
  for (const c of [`${target}.ts`, `${target}.tsx`, join(target, 'index.ts')])
    if (existsSync(join(ROOT, c))) return c;
  return null;
}

describe('the engine layout', () => {
  it('engine/programs holds only the family folders, the program interface and the catalogue', () => {
    const entries = readdirSync(join(ROOT, 'engine/programs')).sort();
    expect(entries).toEqual([...FAMILIES, 'catalog.ts', 'program.test.ts', 'program.ts'].sort());
    for (const f of FAMILIES) expect(existsSync(join(ROOT, 'shaders', f)), `shaders/${f}`).toBe(true);
  });

  it('a family imports only engine/gpu, trace, reference, util, the program interface and itself', () => {
    const bad: string[] = [];
    for (const fam of FAMILIES)
      for (const file of sources(`engine/programs/${fam}`))
        for (const target of imports(file)) {
          const ok =
            target.startsWith(`engine/programs/${fam}/`) ||
            target === 'engine/programs/program' ||
            /^engine\/(gpu|trace|reference|util)\//.test(target) ||
            (/^engine\/node\//.test(target) && file.endsWith('.test.ts'));
          if (!ok) bad.push(`${file} -> ${target}`);
        }
    expect(bad).toEqual([]);
  });

  it('stage composites compose dispatch builders and declare no kernel of their own', () => {
    for (const file of sources('engine/stages').filter((f) => !f.endsWith('.test.ts'))) {
      const text = read(file);
      expect(text, file).not.toMatch(/\.wgsl['"]/);
      expect(text, file).not.toMatch(/\bkernel\(/);
    }
  });

  it('the app reaches the engine only through engine/index.ts', () => {
    const bad = sources('app').flatMap((f) =>
      imports(f)
        .filter((t) => t.startsWith('engine/') && t !== 'engine/index' && t !== 'engine')
        .map((t) => `${f} -> ${t}`),
    );
    expect(bad).toEqual([]);
  });
});

describe('the tree', () => {
  it('has no source file over 400 lines', () => {
    const long = ['app', 'engine', 'shaders', 'bench', 'e2e', 'scripts']
      .flatMap((d) => sources(d, /\.(ts|tsx|wgsl|mjs|css)$/))
      .map((f) => [f, read(f).split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });

  it('has no import cycle in app, engine or bench (static value imports: types are erased, lazy chunks load after)', () => {
    const files = ['app', 'engine', 'bench'].flatMap((d) => sources(d));
    const graph = new Map(
      files.map((f) => [
        f,
        imports(f, false)
          .map(resolveFile)
          .filter((x): x is string => x !== null),
      ]),
    );
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

describe('the plumbing every program goes through', () => {
  const programFiles = FAMILIES.flatMap((f) => sources(`engine/programs/${f}`)).filter(
    (f) => !f.endsWith('.test.ts'),
  );
  const grep = (files: string[], re: RegExp) =>
    files.flatMap((f) =>
      read(f)
        .split('\n')
        .map((line, i) => [line, i] as const)
        .filter(([line]) => re.test(line))
        .map(([line, i]) => `${relative(ROOT, join(ROOT, f))}:${i + 1}: ${line.trim()}`),
    );

  it('folds grids only through engine/gpu/grid.ts', () => {
    expect(grep(programFiles, /maxComputeWorkgroupsPerDimension/)).toEqual([]);
  });

  it('writes uniforms by field name, never positionally or at a byte offset', () => {
    expect(grep(programFiles, /scope\.uniform\(|writeBuffer\([^,]*params[^,]*,\s*\d/)).toEqual([]);
  });

  it('throws EngineError, never a bare Error', () => {
    expect(grep(programFiles, /throw new Error\(/)).toEqual([]);
  });

  it('records trace events with generated tensor ids, never literals or hand-kept constants', () => {
    const wgsl = sources('shaders', /\.wgsl$/);
    expect(grep(wgsl, /traceEvent\(\s*TRACE_\w+\s*,[^,]+,\s*\d+u?\s*,/)).toEqual([]);
    expect(grep(wgsl, /^\s*const (T_[A-Z0-9_]+|TRACE_[A-Z_]+): u32/)).toEqual([]);
  });

  it('leaves the GPU device to the engine: the app never calls device.destroy()', () => {
    expect(grep(sources('app'), /\.destroy\(\)/)).toEqual([]);
  });
});
