// The stress cases' expected values come from float64 code written in this folder from the golden README,
// independently of the engine; that is their point. This test holds the promise: every generator under
// engine/golden/stress/ imports only its own folder, Node built-ins, and the seeded RNG (engine/util/rng).
// Test files (*.test.ts) are exempt: they run the cases through the engine on purpose.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = 'engine/golden/stress';
const allowedOutside = new Set(['engine/util/rng']);

/** Every module specifier in a source: static imports and re-exports (over several lines), side-effect
 * imports, dynamic import() and require(). */
function specifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

/** The specifiers of `source` (a file at `file`, relative to the repository root) that break the rule. */
function outsideImports(file: string, source: string): string[] {
  return specifiers(source).filter((spec) => {
    if (spec.startsWith('node:')) return false;
    if (!spec.startsWith('.')) return true; // a package: not independent float64 code either
    const target = relative(resolve('.'), resolve(dirname(file), spec)).replace(/\.ts$/, '');
    if (target === here || target.startsWith(`${here}/`)) return false;
    return !allowedOutside.has(target);
  });
}

describe('stress cases are independent of the engine', () => {
  it('no generator under engine/golden/stress/ imports the engine, except engine/util/rng', () => {
    const files = readdirSync(here, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(here, f));
    expect(files.length).toBeGreaterThan(10);
    const broken = files.flatMap((f) => outsideImports(f, readFileSync(f, 'utf8')).map((s) => `${f}: ${s}`));
    expect(broken).toEqual([]);
    // The RNG is the one engine module allowed, and it is actually used (through common.ts).
    expect(specifiers(readFileSync(join(here, 'common.ts'), 'utf8'))).toContain('../../util/rng');
  });

  it('the check catches an engine import however it is written', () => {
    const f = join(here, 'mamba.ts');
    const lines = [
      "import { selectiveScanRef } from '../../reference/mamba';",
      "import type { Gpu } from '../../gpu/device';",
      "import {\n  causalConv1d,\n  silu,\n} from '../../programs/mamba/causalConv1d';",
      "export { x } from '../adapters';",
      "import '../../programs/catalog';",
      "const m = await import('../../reference/s4');",
      "import { expect } from 'vitest';",
    ];
    for (const line of lines) expect(outsideImports(f, line), line).toHaveLength(1);
    const fine = [
      "import { Rng } from '../../util/rng';",
      "import { vals } from './common';",
      "import { join } from 'node:path';",
      "// import { x } from '../../reference/s4';",
    ];
    for (const line of fine) expect(outsideImports(f, line), line).toEqual([]);
  });
});
