// No import cycle anywhere in the tree's TypeScript (app/, engine/, bench/, scripts/): a depth-first search
// over the static import and re-export lines (type-only ones included: a cycle of types is still a cycle of
// design). It sits in bench/ because bench/ held the last cycle (cases.ts <-> casesMore.ts, now harness.ts
// owning entry() with the subjects importing it). Dynamic import() is not an edge: it loads later, on demand.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const roots = ['app', 'engine', 'bench', 'scripts'];

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.split('/').includes('node_modules'))
    .map((f) => join(dir, f));
}

/** The relative specifiers of a source's static imports and re-exports, comments left out. */
function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const re = /\b(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\s*['"](\.[^'"]+)['"]/g;
  return [...code.matchAll(re)].map((m) => m[1] ?? m[2]);
}

function resolveFile(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const f of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')])
    if (existsSync(f) && statSync(f).isFile() && /\.tsx?$/.test(f)) return relative(resolve('.'), f);
  return null;
}

/** Every cycle met by a depth-first search of `graph`, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return found;
}

describe('import graph', () => {
  it('has no cycle in app/, engine/, bench/ or scripts/', () => {
    const graph = new Map<string, string[]>();
    for (const f of roots.flatMap(sources)) {
      const targets = relativeImports(readFileSync(f, 'utf8')).map((s) => resolveFile(f, s));
      graph.set(
        f,
        targets.filter((t): t is string => t !== null),
      );
    }
    expect(graph.size).toBeGreaterThan(100);
    // bench's own edges are found (the subjects import the harness), so an empty answer means something.
    expect(graph.get(join('bench', 'forms.ts'))).toContain(join('bench', 'harness.ts'));
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('the search finds the cycle bench/ used to have', () => {
    const cases =
      "import { moreComparisons } from './casesMore';\nimport type { Comparison } from './harness';";
    const more = "import type { Comparison } from './harness';\nimport {\n  entry,\n} from './cases';";
    expect(relativeImports(cases)).toEqual(['./casesMore', './harness']);
    expect(relativeImports(more)).toEqual(['./harness', './cases']);
    const graph = new Map([
      ['cases', ['casesMore', 'harness']],
      ['casesMore', ['harness', 'cases']],
      ['harness', []],
    ]);
    expect(cycles(graph)).toEqual([['cases', 'casesMore', 'cases']]);
  });
});
