// npm run golden -- <dir>: runs every case in <dir> (the ../shared/golden format) on the CPU reference
// and on WebGPU (Dawn), prints one line per case and backend, then "N passed, N failed". Exit 1 on failure.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requestNodeGpu } from '../node/gpu';
import { adapters } from './adapters';
import { parseCase } from './format';
import { formatResult, type GoldenResult, runCase } from './runner';

async function main(): Promise<number> {
  const dir = process.argv[2] ?? '../shared/golden/vectors';
  // Optional second argument: a regular expression on case names or function names (for development).
  const only = process.argv[3] ? new RegExp(process.argv[3]) : null;
  let files: string[];
  try {
    files = statSync(dir).isDirectory()
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json') && f !== 'index.json')
          .sort()
          .map((f) => join(dir, f))
      : [dir];
  } catch (err) {
    console.error(`golden: cannot read ${dir}: ${err instanceof Error ? err.message : err}`);
    return 2;
  }
  const { result, via } = await requestNodeGpu();
  const gpu = result.ok ? result.gpu : null;
  console.log(
    result.ok
      ? `golden: WebGPU adapter ${result.gpu.adapterName} (${via})`
      : `golden: no WebGPU: ${result.reason}`,
  );
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let results: GoldenResult[];
    try {
      const c = parseCase(file, JSON.parse(readFileSync(file, 'utf8')));
      if (only && !only.test(c.name) && !only.test(c.fn)) continue;
      results = await runCase(c, adapters, gpu, result.ok ? undefined : result.reason);
    } catch (err) {
      console.log(`FAIL  ${file}: ${err instanceof Error ? err.message : err}`);
      failed += 2;
      continue;
    }
    for (const r of results) {
      console.log(formatResult(r));
      if (r.pass) passed++;
      else failed++;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  gpu?.device.destroy();
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
