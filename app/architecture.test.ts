// The app's layout rules (docs/architecture.md, "The stage kit"), checked on the tree: stage runtimes
// stay free of React and the store (they also run in the CPU worker), and colours come only from the
// theme's custom properties.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

/** Every file below dir (relative to the repository root). */
const walk = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((rel) => statSync(join(ROOT, rel)).isFile());

function resolve(from: string, spec: string): string | null {
  const base = normalize(join(dirname(from), spec));
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (existsSync(join(ROOT, c)) && statSync(join(ROOT, c)).isFile()) return c;
  return null;
}

/** Every file a module reaches through relative imports, inside app/ (the engine is React-free already). */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (files.has(f) || !f.startsWith('app/')) return;
    files.add(f);
    for (const m of read(f).matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (m[0].includes('import type') || m[0].includes('export type')) continue;
      if (!spec.startsWith('.')) packages.add(spec);
      else {
        const r = resolve(f, spec);
        if (r) visit(r);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the app layout', () => {
  it('the CPU worker and every stage runtime reach no React, no store and no component', () => {
    const { files, packages } = reach('app/runtime/cpuWorker.ts');
    expect([...files].filter((f) => f.endsWith('.tsx') || f.startsWith('app/store/'))).toEqual([]);
    expect(
      [...packages].filter((p) => /^(react|react-dom|zustand|react-i18next|i18next|d3|katex)/.test(p)),
    ).toEqual([]);
    expect([...files]).toContain('app/stages/ssm/runtime.ts');
  });

  it('colours come only from the theme: no literal colour in stages, components or stage styles', () => {
    const files = [...walk('app/stages'), ...walk('app/components'), ...walk('app/styles')].filter(
      (f) => /\.(ts|tsx|css)$/.test(f) && !f.endsWith('.test.ts') && f !== 'app/styles/themes.css',
    );
    const bad = files.flatMap((f) =>
      [...read(f).matchAll(/#[0-9a-fA-F]{3,8}\b|rgba?\(\s*\d/g)]
        .filter((m) => !/^#\d+$/.test(m[0]) || m[0].length > 4)
        .map((m) => `${f}: ${m[0]}`),
    );
    expect(bad).toEqual([]);
  });
});
