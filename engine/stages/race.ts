// The race stage's composite: the benchmark suite of engine/bench, run in the page on the reader's GPU.
// It picks the sizes (the --quick sizes on a software adapter, the papers' on a real GPU over the lengths
// the reader chose), names the presets, runs the suite row by row with the page's pause between rows and
// its Stop, and loads the H200 reference run (bench/results/) as a lazy JSON chunk, checked against the
// same schema as the CLI's JSON. It declares no kernel: the suite times the engine's programs.

import type { Gpu } from '../gpu/device';
import type { RunRecord } from '../bench/harness';
import type { Progress } from '../bench/progress';
import type { Report, Row } from '../bench/report';
import { FULL, QUICK, type Sizes } from '../bench/sizes';
import { algorithms, isSoftwareAdapter, pairs, runSuite } from '../bench/suite';
import { asReport } from '../bench/validate';

export type { AlgorithmInfo, InputSource, RunRecord } from '../bench/harness';
export { clearInputs, madeAt, makeInputsAt, setInputSource } from '../bench/harness';
export type { Comparison, Crossover, Pair, Report, Row } from '../bench/report';
export { compare, SCHEMA, UNITS } from '../bench/report';
export { lengthLabel, type Sizes } from '../bench/sizes';
export { algorithmInfo, algorithms, isSoftwareAdapter, pairs, STOPPED } from '../bench/suite';
export { renderSvg } from '../bench/svg';
export { asReport, reportProblems } from '../bench/validate';

export const PRESETS = ['mambaFlash', 'ssdScan', 'decoding', 'all'] as const;
export type Preset = (typeof PRESETS)[number];

/** The lengths a real GPU may race over (the CLI's full sizes). */
export const RACE_LENGTHS: readonly number[] = FULL.Ls;

/** Budgets the reader can give a run on a real GPU, in seconds (rows past it are skipped, with that reason). */
export const RACE_BUDGETS_S: readonly number[] = [30, 60, 120, 300, 600];

/** The copy ceiling's buffer in the page: 256 MiB, well past any L2, and a quarter of the CLI's host memory. */
const PAGE_COPY_BYTES = 2 ** 28;

/** The algorithms of a preset, in the suite's order. */
export function presetIds(preset: Preset, s: Sizes): string[] {
  const all = algorithms(s).map((a) => a.id);
  const N = s.ssd.Ns[0];
  const pick: Record<Preset, string[]> = {
    mambaFlash: ['naive', 'fa2', 'fa2Matrix', 'scanFused'],
    ssdScan: [`ssdChunked.N${N}`, `ssdQuadratic.N${N}`, 'scanSequential', 'scanFused'],
    decoding: ['decode1', 'flashDecoding'],
    all,
  };
  return all.filter((id) => pick[preset].includes(id));
}

/** What the reader asked for. */
export interface RaceChoice {
  /** Algorithm ids; unknown ids are dropped. */
  ids: readonly string[];
  /** Shortest and longest L (real GPU only; a software adapter races the quick lengths). */
  from: number;
  to: number;
  budgetS: number;
}

/** One run's settings, decided from the adapter and the reader's choice. */
export interface RacePlan {
  software: boolean;
  sizes: Sizes;
  ids: string[];
  budgetS: number;
  reps: number;
  warmMs: number;
  rowBudgetMs: number;
  maxMs: number;
}

/** The quick sizes on a software adapter (and says so through `software`); the papers' sizes elsewhere. */
export function racePlan(adapterName: string, choice: RaceChoice): RacePlan {
  const software = isSoftwareAdapter(adapterName);
  const [lo, hi] = [Math.min(choice.from, choice.to), Math.max(choice.from, choice.to)];
  const Ls = RACE_LENGTHS.filter((L) => L >= lo && L <= hi);
  const sizes: Sizes = software
    ? QUICK
    : { ...FULL, Ls: Ls.length > 0 ? Ls : [RACE_LENGTHS[0]], copyBytes: PAGE_COPY_BYTES };
  const known = new Set(algorithms(sizes).map((a) => a.id));
  return {
    software,
    sizes,
    ids: choice.ids.filter((id) => known.has(id)),
    budgetS: choice.budgetS,
    // The CLI's method: one timed run and no burst for the quick sizes, five and a 200 ms burst elsewhere.
    reps: software ? 1 : 5,
    warmMs: software ? 0 : 200,
    rowBudgetMs: 2000,
    maxMs: 5000,
  };
}

/** What the page hears while the race runs. */
export interface RaceWatch {
  /** Rows in all (every algorithm at every L, and the copy at both ends). */
  total(n: number): void;
  /** A row (or a copy) finished; `done` of `total`. */
  step(done: number, label: string): void;
  /** The report so far, after every row. */
  report(r: Report): void;
  /** What a row that ran dispatched. */
  ran(row: Row, rec: RunRecord): void;
  /** True once the reader pressed Stop. */
  stopped(): boolean;
  /** Awaited between rows: the page yields there. */
  between(): Promise<void>;
}

/** Runs the plan on `gpu`: the same suite, method and Report as `npm run bench`. */
export function runRace(gpu: Gpu, plan: RacePlan, watch: RaceWatch): Promise<Report> {
  let done = 0;
  const progress = (n: number): Progress => {
    watch.total(n);
    return {
      start: () => {},
      done: (label) => watch.step(++done, label),
      end: () => {},
    };
  };
  const L = plan.sizes.Ls;
  return runSuite(gpu, {
    sizes: plan.sizes,
    reps: plan.reps,
    rowBudgetMs: plan.rowBudgetMs,
    maxMs: plan.maxMs,
    warmMs: plan.warmMs,
    budgetS: plan.budgetS,
    only: null,
    ids: plan.ids,
    command: `race stage: --only ${plan.ids.join(',')} --L ${L.join(',')} --budget-s ${plan.budgetS}${plan.software ? ' --quick' : ''}`,
    commit: null,
    via: 'browser WebGPU',
    progress,
    onRow: watch.report,
    onRan: watch.ran,
    stopped: watch.stopped,
    between: watch.between,
  });
}

/** The pairs this run can compare (both algorithms chosen). */
export function racePairs(plan: RacePlan) {
  return pairs(plan.sizes).filter((p) => plan.ids.includes(p.a) && plan.ids.includes(p.b));
}

/** The H200 run of bench/results/ (full sizes), loaded on first use and checked against the schema. */
export async function referenceReport(): Promise<Report> {
  const m = await import('../../bench/results/h200-467549c.json');
  return asReport(m.default);
}
