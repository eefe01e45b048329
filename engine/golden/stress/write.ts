// npx tsx engine/golden/stress/write.ts [outDir=/tmp/stress] [--bad|--grid]: writes the stress cases of
// index.ts (stressCases, then vectors2StressCases; --bad: the malformed ones of malformed.ts, which must
// fail with a note; --grid: those of gridLimits.ts, > 65535 rows or steps) as golden JSON files plus an
// index.json; each case borrows the `source` of its function's golden cases (vectors/, then vectors2/).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { malformedCases } from './malformed';
import { gridLimitCases } from './gridLimits';
import { stressCases, vectors2StressCases } from './index';

const args = process.argv.slice(2);
const wantBad = args.includes('--bad');
const wantGrid = args.includes('--grid');
const [outDir = '/tmp/stress', goldenIndex = '../shared/golden/vectors/index.json'] = args.filter(
  (a) => !a.startsWith('--'),
);

const sources = new Map<string, unknown>();
for (const file of [goldenIndex, join(dirname(dirname(goldenIndex)), 'vectors2', 'index.json')]) {
  try {
    const idx = JSON.parse(readFileSync(file, 'utf8')) as {
      cases: Array<{ ref_function: string; source: unknown }>;
    };
    for (const c of idx.cases) if (!sources.has(c.ref_function)) sources.set(c.ref_function, c.source);
  } catch {
    console.warn(`stress/write: no golden index at ${file}; its functions' cases get no source`);
  }
}

mkdirSync(outDir, { recursive: true });
const cases = wantBad
  ? malformedCases()
  : wantGrid
    ? gridLimitCases()
    : [...stressCases(), ...vectors2StressCases()];
const index = cases.map((c) => {
  const file = `${c.name}.json`;
  const { name, ref_function, semantics, seed, params, inputs, outputs } = c;
  const source = sources.get(ref_function) ?? {};
  writeFileSync(
    join(outDir, file),
    JSON.stringify({ name, ref_function, source, semantics, seed, params, inputs, outputs }),
  );
  return { file, name, ref_function, source, inputs: Object.keys(inputs), outputs: Object.keys(outputs) };
});
writeFileSync(join(outDir, 'index.json'), JSON.stringify({ count: index.length, cases: index }, null, 1));
console.log(`stress/write: ${index.length} cases in ${outDir}`);
