// What a benchmark run reports (the JSON's shape), the comparisons between algorithms (speed-ups at each L
// and the crossovers, interpolated on log-log axes), and the table printed on stdout.

import type { GpuFeatures, Gpu } from '../gpu/device';
import type { CopyCeiling } from './copy';
import type { Accuracy, AlgorithmInfo, Candidate, Params, PassTime } from './harness';
import { lengthLabel, type Sizes } from './sizes';

export const SCHEMA = 'seqscope-bench/1';

/** Units of the rows' numeric fields, written into the JSON beside them. */
export const UNITS = {
  L: 'tokens',
  ms: 'ms (GPU time, median)',
  gbps: 'GB/s (1e9 B/s) of compulsory traffic',
  gflops: 'GFLOP/s (1e9 FLOP/s)',
  copyFraction: 'fraction of the same-run copy bandwidth',
  bytesAllocated: 'B (distinct buffers the run bound)',
  trafficBytes: 'B',
  flops: 'FLOP',
} as const;

export interface Row {
  algorithm: string;
  L: number;
  status: 'ok' | 'skipped' | 'error';
  /** Why a row was skipped or failed; null when it ran. */
  reason: string | null;
  ms: number | null;
  gbps: number | null;
  gflops: number | null;
  copyFraction: number | null;
  bytesAllocated: number | null;
  trafficBytes: number;
  flops: number;
  reps: number | null;
  timing: 'timestamps' | 'wall' | null;
  params: Params;
  /** Numbers the program chose (tiles, slices). */
  chosen: Record<string, number>;
  candidates: Candidate[];
  /**
   * Where the algorithm checks its outputs (the f16 matrix-unit kernels, and the kernels they stand beside):
   * the chosen variant's error against the float64 reference and its tolerance. Absent elsewhere.
   */
  accuracy?: Accuracy;
  /** Where the chosen variant ran several passes, each kernel's share of its timed run. Absent elsewhere. */
  passes?: PassTime[];
}

export interface Crossover {
  /** Interpolated on log L against log(time ratio). */
  L: number;
  ms: number;
  /** a is faster than b above this L. */
  aFasterAbove: boolean;
}

export interface Comparison {
  a: string;
  b: string;
  claim: string | null;
  /** time(b) / time(a) at every L where both ran. */
  speedups: Array<{ L: number; speedup: number }>;
  crossovers: Crossover[];
}

export interface Pair {
  a: string;
  b: string;
  claim?: string;
}

export interface Report {
  schema: typeof SCHEMA;
  date: string;
  commit: string | null;
  command: string;
  adapter: { name: string; via: string; features: GpuFeatures; limits: Gpu['limits'] };
  sizes: Sizes;
  method: {
    reps: number;
    rowBudgetMs: number;
    maxMs: number;
    warmMs: number;
    warmBytes: number;
    /** A timed run is this many back-to-back repeats (1: a lone pass), inputs rotated over streamSets copies. */
    streamRepeats: number;
    streamSets: number;
  };
  copy: { start: CopyCeiling; end: CopyCeiling | null; gbps: number };
  algorithms: AlgorithmInfo[];
  rows: Row[];
  comparisons: Comparison[];
  units: typeof UNITS;
  elapsedS: number;
}

/** Speed-ups of a over b and where the faster one changes, from the rows that ran. */
export function compare(rows: readonly Row[], pair: Pair): Comparison {
  const ms = (id: string) => new Map(rows.filter((r) => r.algorithm === id && r.ms).map((r) => [r.L, r.ms!]));
  const ta = ms(pair.a);
  const tb = ms(pair.b);
  const Ls = [...ta.keys()].filter((L) => tb.has(L)).sort((x, y) => x - y);
  const speedups = Ls.map((L) => ({ L, speedup: tb.get(L)! / ta.get(L)! }));
  const crossovers: Crossover[] = [];
  for (let i = 1; i < speedups.length; i++) {
    const [p, q] = [speedups[i - 1], speedups[i]];
    const [r0, r1] = [Math.log(p.speedup), Math.log(q.speedup)];
    if (r0 === 0 || r0 * r1 >= 0) continue;
    const f = r0 / (r0 - r1);
    const L = Math.exp(Math.log(p.L) + f * (Math.log(q.L) - Math.log(p.L)));
    const a0 = Math.log(ta.get(p.L)!);
    const a1 = Math.log(ta.get(q.L)!);
    crossovers.push({ L, ms: Math.exp(a0 + f * (a1 - a0)), aFasterAbove: r1 > 0 });
  }
  return { a: pair.a, b: pair.b, claim: pair.claim ?? null, speedups, crossovers };
}

/** One decimal from 100 up, four significant digits down to 0.01, then 3 in exponent form (SwiftShader's GB/s). */
export const num = (v: number | null): string => {
  if (v === null) return '—';
  if (v >= 100) return v.toFixed(1);
  return v >= 0.01 || v === 0 ? v.toPrecision(4) : v.toExponential(2);
};

export function mib(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function note(r: Row): string {
  if (r.status !== 'ok') return `${r.status}: ${r.reason}`;
  const shown = { ...r.params, ...r.chosen };
  const parts = Object.entries(shown).map(([k, v]) => `${k}=${v}`);
  if (r.reps !== null) parts.push(`${r.reps} rep${r.reps === 1 ? '' : 's'}`);
  if (r.timing === 'wall') parts.push('wall clock');
  if (r.accuracy) parts.push(`error ${r.accuracy.error.toExponential(1)} ≤ ${r.accuracy.tolerance}`);
  if (r.passes)
    parts.push(
      `passes ${r.passes.map((p) => `${p.label}${p.count > 1 ? `×${p.count}` : ''} ${p.ms.toFixed(4)}`).join(' + ')} ms`,
    );
  const refused = r.candidates.filter((c) => c.refused).length;
  if (refused > 0) parts.push(`${refused} variant${refused === 1 ? '' : 's'} refused for error`);
  return parts.join(' ');
}

function table(info: AlgorithmInfo, rows: Row[]): string[] {
  const head = `${'L'.padStart(7)} ${'ms'.padStart(10)} ${'GB/s'.padStart(8)} ${'GFLOP/s'.padStart(9)}`;
  const lines = [
    `## ${info.label}  (${info.shape})`,
    `   traffic ${info.trafficFormula}; FLOP ${info.flopsFormula}`,
    `${head} ${'% copy'.padStart(7)} ${'allocated'.padStart(11)}  note`,
  ];
  for (const r of rows) {
    const pct = r.copyFraction === null ? '—' : `${num(100 * r.copyFraction)}%`;
    const alloc = r.bytesAllocated === null ? '—' : mib(r.bytesAllocated);
    lines.push(
      `${lengthLabel(r.L).padStart(7)} ${num(r.ms).padStart(10)} ${num(r.gbps).padStart(8)} ` +
        `${num(r.gflops).padStart(9)} ${pct.padStart(7)} ${alloc.padStart(11)}  ${note(r)}`,
    );
  }
  return lines;
}

/** One line per comparison: the speed-up at each L, the crossovers, and the claim it checks. */
export function comparisonLines(report: Report): string[] {
  const label = (id: string) => report.algorithms.find((a) => a.id === id)?.label ?? id;
  const lines = ['## Speed-ups (time of b / time of a) and crossovers'];
  for (const c of report.comparisons) {
    const at = c.speedups.map((s) => `${lengthLabel(s.L)} ${s.speedup.toFixed(2)}×`).join(', ');
    const cross = c.crossovers
      .map((x) => `crosses at L≈${Math.round(x.L)} (${x.aFasterAbove ? 'a faster above' : 'a slower above'})`)
      .join('; ');
    lines.push(`  ${label(c.a)} vs ${label(c.b)}: ${at || 'no common L'}${cross ? `; ${cross}` : ''}`);
    if (c.claim) lines.push(`    claim: ${c.claim}`);
  }
  return lines;
}

/** The stdout table: the run's conditions, the copy ceiling, one block per algorithm, the comparisons. */
export function formatReport(report: Report): string {
  const m = report.method;
  const c = report.copy;
  const lines = [
    `bench: ${report.adapter.name} (${report.adapter.via}); ${report.date}; commit ${report.commit ?? 'unknown'}`,
    `bench: sizes=${report.sizes.name}, L ∈ {${report.sizes.Ls.map(lengthLabel).join(', ')}}; f32, batch 1`,
    `bench: median of up to ${m.reps} timed runs after an untimed one (fewer where a row passes ` +
      `${m.rowBudgetMs} ms); ` +
      (m.warmMs > 0
        ? `an awaited ${m.warmMs} ms burst of ${mib(m.warmBytes)} copies before each timed run`
        : 'no warm-up burst') +
      (m.streamRepeats > 1
        ? `; each timed run ${m.streamRepeats} back-to-back repeats in one submission, inputs rotated over ${m.streamSets} copies, time / ${m.streamRepeats}`
        : ''),
    `## Copy kernel (the bandwidth ceiling, read + write of ${mib(c.start.bytes)}, fastest of its shapes: ` +
      `${c.start.shape.items} vec4 per invocation, ${c.start.shape.grid} grid): ` +
      `${num(c.start.ms)} ms = ${num(c.start.gbps)} GB/s at the start` +
      (c.end ? `, ${num(c.end.gbps)} GB/s at the end` : '') +
      `; fractions use ${num(c.gbps)} GB/s`,
  ];
  for (const info of report.algorithms) {
    const rows = report.rows.filter((r) => r.algorithm === info.id);
    if (rows.length > 0) lines.push(...table(info, rows));
  }
  lines.push(...comparisonLines(report), `bench: ${report.elapsedS.toFixed(1)} s in all`);
  return lines.join('\n');
}
