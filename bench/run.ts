// npm run bench [-- small|real] [--reps N] [--only REGEX] [--no-warm]: times the engine's kernels side by side on this
// machine's WebGPU adapter (Dawn), printing each comparison with ratios measured in the same run.

import { releaseGpu } from '../engine/gpu/device';
import { requestNodeGpu } from '../engine/node/gpu';
import { attentionComparisons } from './attention';
import { blockComparisons } from './blocks';
import { copyComparison, warmUp } from './copy';
import { formComparisons } from './forms';
import { type Comparison, formatComparison, measure, type SizeSet } from './harness';
import { scanComparisons } from './scans';

/** Every comparison at one size set, in print order; each comparison's first entry is its baseline. */
function comparisons(size: SizeSet): Comparison[] {
  const real = size === 'real';
  return [
    copyComparison(real),
    ...attentionComparisons(real),
    ...scanComparisons(real),
    ...formComparisons(real),
    ...blockComparisons(real),
  ];
}

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
  const warm = !args.includes('--no-warm');
  console.log(
    `bench: ${gpu.adapterName} (${via}); sizes=${size}; median of ${reps} after an untimed run` +
      (warm
        ? `; an awaited ~${process.env.SEQSCOPE_WARM_MS ?? 200} ms burst of copies before each timed run keeps the clock up`
        : ''),
  );
  if (!gpu.features.timestampQuery) console.log('bench: this adapter has no timestamp-query; times are n/a');
  for (const c of comparisons(size)) {
    if (only && !only.test(c.title)) continue;
    const rows = [];
    for (const e of c.entries) rows.push(await measure(gpu, e, reps, warm ? (g) => warmUp(g) : undefined));
    console.log(formatComparison(c, rows));
  }
  releaseGpu(gpu);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
