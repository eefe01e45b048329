// npm run bench [-- small|real] [--reps N] [--only REGEX]: times the engine's kernels side by side on this
// machine's WebGPU adapter (Dawn), printing each comparison with ratios measured in the same run.

import { requestNodeGpu } from '../engine/node/gpu';
import { comparisons, type SizeSet } from './cases';
import { formatComparison, measure } from './harness';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const size: SizeSet = args.includes('real') ? 'real' : 'small';
  const repsAt = args.indexOf('--reps');
  const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 5;
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new RegExp(args[onlyAt + 1], 'i') : null;
  const { result, via } = await requestNodeGpu();
  if (!result.ok) {
    console.error(`bench: no WebGPU: ${result.reason}`);
    return 1;
  }
  const gpu = result.gpu;
  console.log(`bench: ${gpu.adapterName} (${via}); sizes=${size}; median of ${reps} after a warm-up`);
  if (!gpu.features.timestampQuery) console.log('bench: this adapter has no timestamp-query; times are n/a');
  for (const c of comparisons(size)) {
    if (only && !only.test(c.title)) continue;
    const rows = [];
    for (const e of c.entries) rows.push(await measure(gpu, e, reps));
    console.log(formatComparison(c, rows));
  }
  gpu.device.destroy();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
