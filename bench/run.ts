// npm run bench [-- --quick|--full] [--json FILE] [--svg FILE] [--reps N] [--only REGEX] [--L 512,2048]
//   [--no-warm] [--max-ms MS] [--row-ms MS] [--budget-s S] [--stream RxS]
// Times the engine's programs over L on this machine's WebGPU adapter (Dawn in Node; SwiftShader where
// there is no GPU) beside a copy kernel measured in the same run; prints a table on stdout, writes the
// report as JSON and the chart as SVG where asked, and shows progress on stderr. A software adapter gets
// the --quick sizes unless --full says otherwise. SEQSCOPE_WARM_MS sets the warm-up burst (default 1000;
// none with --quick); --stream 16x4 times each run as 16 back-to-back repeats in one submission, inputs
// rotated over 4 copies (a step of a loop, as CUDA-event loops time it; BENCHMARKS.md's run L);
// SEQSCOPE_COMMIT names the commit where there is no git (the GPU machine's bundle).

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { releaseGpu } from '../engine/gpu/device';
import { requestNodeGpu } from '../engine/node/gpu';
import { progress } from './progress';
import { formatReport, type Report } from '../engine/bench/report';
import { FULL, QUICK } from '../engine/bench/sizes';
import { isSoftwareAdapter, runSuite } from '../engine/bench/suite';
import { renderSvg } from '../engine/bench/svg';

function option(args: string[], name: string): string | null {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

function numberOption(args: string[], name: string, fallback: number): number {
  const v = option(args, name);
  if (v === null) return fallback;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`${name} wants a positive number, got ${v}`);
  return n;
}

/** `RxS`: R repeats (1 … 256) a timed run, inputs rotated over S copies (1 … R). */
function streamOption(v: string): { repeats: number; sets: number } {
  const m = /^(\d+)x(\d+)$/.exec(v);
  const [repeats, sets] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!(repeats >= 1 && repeats <= 256 && sets >= 1 && sets <= repeats))
    throw new Error(`--stream wants RxS with 1 ≤ S ≤ R ≤ 256 (e.g. 16x4), got ${v}`);
  return { repeats, sets };
}

/** HEAD, marked +dirty where the engine, shaders or bench differ from it; null outside a git checkout. */
function commit(): string | null {
  if (process.env.SEQSCOPE_COMMIT) return process.env.SEQSCOPE_COMMIT;
  try {
    const git = (...a: string[]) => execFileSync('git', a, { encoding: 'utf8', stdio: 'pipe' }).trim();
    const dirty = git('status', '--porcelain', '--', 'engine', 'shaders', 'bench') !== '';
    return `${git('rev-parse', 'HEAD')}${dirty ? '+dirty' : ''}`;
  } catch {
    return null;
  }
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const { result, via } = await requestNodeGpu();
  if (!result.ok) {
    console.error(`bench: no WebGPU: ${result.reason}`);
    return 1;
  }
  const gpu = result.gpu;
  const software = isSoftwareAdapter(gpu.adapterName);
  const quick = args.includes('--quick') || (software && !args.includes('--full'));
  if (quick && !args.includes('--quick'))
    console.error('bench: a software adapter: the --quick sizes (--full forces the papers’ sizes)');
  const base = quick ? QUICK : FULL;
  const only = option(args, '--L');
  const Ls = only ? only.split(',').map(Number) : base.Ls;
  if (Ls.some((L) => !Number.isInteger(L) || L < 1)) throw new Error(`--L wants lengths, got ${only}`);
  const warmMs = args.includes('--no-warm') ? 0 : Number(process.env.SEQSCOPE_WARM_MS ?? (quick ? 0 : 1000));
  const json = option(args, '--json');
  const svg = option(args, '--svg');
  const filter = option(args, '--only');
  const streamArg = option(args, '--stream');
  const stream = streamArg ? streamOption(streamArg) : undefined;
  if (!gpu.features.timestampQuery) console.error('bench: no timestamp-query here; times are wall clock');
  const report: Report = await runSuite(gpu, {
    sizes: { ...base, Ls },
    reps: numberOption(args, '--reps', quick ? 1 : 5),
    rowBudgetMs: numberOption(args, '--row-ms', 2000),
    maxMs: numberOption(args, '--max-ms', 5000),
    warmMs,
    stream,
    budgetS: numberOption(args, '--budget-s', Number.POSITIVE_INFINITY),
    only: filter ? new RegExp(filter, 'i') : null,
    command: [relative(process.cwd(), process.argv[1] ?? 'bench'), ...args].join(' '),
    commit: commit(),
    via,
    progress: (total) => progress(total),
    onRow: json ? (r) => write(json, JSON.stringify(r, null, 1)) : undefined,
  });
  console.log(formatReport(report));
  if (json) write(json, `${JSON.stringify(report, null, 1)}\n`);
  if (svg) write(svg, renderSvg(report));
  releaseGpu(gpu);
  return report.rows.some((r) => r.status === 'error') ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench: ${err instanceof Error ? err.message : err}`);
    process.exit(2);
  },
);
