// The suite: every algorithm at every L, shortest L first (so a time budget cuts the longest), with the
// copy ceiling measured at the start and the end of the same run. A row is skipped, with its reason, when
// the program refuses the length, when its largest tensor exceeds the device's binding limits, when the
// time predicted from the last L passes --max-ms, when the run's budget is spent, or when the caller
// stopped it (the race's Stop button: the row in flight finishes, every later one is skipped as stopped).

import type { Gpu } from '../gpu/device';
import { attentionAlgorithms } from './attention';
import { blockAlgorithms } from './blocks';
import { measureCopy, warmUp } from './copy';
import { formAlgorithms } from './forms';
import {
  type Algorithm,
  type AlgorithmInfo,
  clearInputs,
  type MeasureOptions,
  measure,
  type RunRecord,
} from './harness';
import type { Progress } from './progress';
import { compare, mib, num, type Pair, type Report, type Row, SCHEMA, UNITS } from './report';
import { scanAlgorithms } from './scans';
import { lengthLabel, type Sizes } from './sizes';

/** What the JSON says of an algorithm: its words, without its functions. */
export const algorithmInfo = ({ id, label, family, shape, trafficFormula, flopsFormula }: AlgorithmInfo) => ({
  id,
  label,
  family,
  shape,
  trafficFormula,
  flopsFormula,
});

export function algorithms(s: Sizes): Algorithm[] {
  return [...attentionAlgorithms(s), ...scanAlgorithms(s), ...formAlgorithms(s), ...blockAlgorithms(s)];
}

/** The pairs compared (a against b), with the papers' claims they test. */
export function pairs(s: Sizes): Pair[] {
  const ssd = `ssdChunked.N${s.ssd.Ns[0]}`;
  return [
    { a: 'fa2', b: 'naive' },
    {
      a: 'flashDecoding',
      b: 'decode1',
      claim: 'Flash-Decoding speeds up long-context decoding up to 8× (Dao, Haziza, Massa, Sizov 2023)',
    },
    {
      a: 'scanFused',
      b: 'fa2',
      claim: "Mamba's fused scan is faster than FlashAttention-2 beyond 2K (Gu & Dao 2023, Mamba §4.5)",
    },
    {
      a: 'scanFused',
      b: 'fa2Matrix',
      claim:
        "Mamba's fused scan is faster than FlashAttention-2 beyond 2K (Mamba §4.5; FA2 in 16-bit there too)",
    },
    { a: 'fa2Matrix', b: 'fa2' },
    { a: 'scanFused', b: 'scanSequential' },
    { a: ssd, b: 'scanFused', claim: "SSD is 2–8× faster than Mamba's fused scan (Dao & Gu 2024, Mamba-2)" },
    { a: ssd, b: 'fa2', claim: 'SSD is level with FlashAttention-2 at 2K and 6× faster at 16K (Mamba-2)' },
    {
      a: ssd,
      b: 'fa2Matrix',
      claim: 'SSD is level with FlashAttention-2 at 2K and 6× faster at 16K (Mamba-2)',
    },
    { a: `ssdMatrix.N${s.ssd.Ns[0]}`, b: ssd },
    {
      a: `ssdMatrix.N${s.ssd.Ns[0]}`,
      b: 'fa2Matrix',
      claim: 'SSD is level with FlashAttention-2 at 2K and 6× faster at 16K (Mamba-2; both 16-bit there)',
    },
    { a: ssd, b: `ssdQuadratic.N${s.ssd.Ns[0]}` },
    { a: 'laChunked', b: 'laRecurrent' },
    { a: 's4Fft', b: 's4Direct' },
    { a: 'fa2Backward', b: 'plainBackward' },
  ];
}

export interface SuiteOptions {
  sizes: Sizes;
  reps: number;
  /** GPU time per row's timed runs (reps shrink to fit). */
  rowBudgetMs: number;
  /** A row whose predicted run passes this is skipped. */
  maxMs: number;
  /** The warm-up burst before each timed run (0: none). */
  warmMs: number;
  /**
   * Time each row's runs as `repeats` back-to-back repeats in one submission, inputs rotated over `sets`
   * copies (Gpu.timedStream): a step of a loop rather than a lone pass with its launch and drain. Off (a
   * lone pass a timed run) when absent; the copy ceiling is always a lone pass.
   */
  stream?: { repeats: number; sets: number };
  /** Wall-clock seconds for the whole run; rows after it are skipped. */
  budgetS: number;
  only: RegExp | null;
  /** Only these algorithm ids (the race's choice), in the suite's order; all when absent. */
  ids?: readonly string[];
  /** Asked before every row: true skips it and every row after it, and the closing copy. */
  stopped?: () => boolean;
  /** Awaited between rows (the page yields to its event loop there). */
  between?: () => Promise<void>;
  command: string;
  commit: string | null;
  via: string;
  /** Made once the number of rows is known. */
  progress: (total: number) => Progress;
  /** Called after every row with the report so far (the CLI rewrites its JSON). */
  onRow?: (report: Report) => void;
  /** What a row that ran dispatched (its fastest variant's last run). */
  onRan?: (row: Row, ran: RunRecord) => void;
}

const ERR_SIZE = /allows|exceeds|too large|out of memory/i;

/** A skipped row's reason once the run was stopped. */
export const STOPPED = 'the run was stopped before this row';

/** SwiftShader, llvmpipe and the like: the quick sizes, since every figure would be the CPU's. */
export const isSoftwareAdapter = (name: string): boolean => /swiftshader|llvmpipe|software/i.test(name);

export async function runSuite(gpu: Gpu, o: SuiteOptions): Promise<Report> {
  const t0 = performance.now();
  const s = o.sizes;
  const algs = algorithms(s).filter(
    (a) => (!o.only || o.only.test(a.id) || o.only.test(a.label)) && (!o.ids || o.ids.includes(a.id)),
  );
  clearInputs(true);
  const warmBytes = Math.min(32 * 2 ** 20, s.copyBytes);
  const mo: MeasureOptions = {
    reps: o.reps,
    rowBudgetMs: o.rowBudgetMs,
    warm: (g) => warmUp(g, o.warmMs, warmBytes),
  };
  const { maxStorageBufferBindingSize: bind, maxBufferSize } = gpu.limits;
  const maxBinding = Math.min(bind, maxBufferSize);
  const progress = o.progress(algs.length * s.Ls.length + 2);
  progress.start('copy kernel');
  const start = await measureCopy(gpu, s.copyBytes, mo);
  progress.done('copy kernel', `${num(start.gbps)} GB/s`);
  const report: Report = {
    schema: SCHEMA,
    date: new Date().toISOString(),
    commit: o.commit,
    command: o.command,
    adapter: { name: gpu.adapterName, via: o.via, features: gpu.features, limits: gpu.limits },
    sizes: s,
    method: {
      ...{ reps: o.reps, rowBudgetMs: o.rowBudgetMs, maxMs: o.maxMs, warmMs: o.warmMs, warmBytes },
      streamRepeats: o.stream?.repeats ?? 1,
      streamSets: o.stream?.sets ?? 1,
    },
    copy: { start, end: null, gbps: start.gbps },
    algorithms: algs.map(algorithmInfo),
    rows: [],
    comparisons: [],
    units: UNITS,
    elapsedS: 0,
  };
  const last = new Map<string, Row>();
  const whyNot = (a: Algorithm, L: number): string | null => {
    if (o.stopped?.()) return STOPPED;
    const own = a.skip?.(L, gpu);
    if (own) return own;
    if (a.largest(L) > maxBinding)
      return `its largest tensor, ${mib(a.largest(L))}, exceeds the device's ${mib(maxBinding)} per binding (maxStorageBufferBindingSize ${bind}, maxBufferSize ${maxBufferSize})`;
    const prev = last.get(a.id);
    if (prev?.ms) {
      const growth = Math.max(a.flops(L) / a.flops(prev.L), a.traffic(L) / a.traffic(prev.L));
      const predicted = prev.ms * growth;
      if (predicted > o.maxMs)
        return `predicted ${predicted.toFixed(0)} ms (${prev.ms.toFixed(1)} ms at L=${prev.L} times the work's growth) passes --max-ms ${o.maxMs}`;
    }
    if ((performance.now() - t0) / 1000 > o.budgetS)
      return `the run's budget (--budget-s ${o.budgetS}) was spent`;
    return null;
  };
  const runRow = async (a: Algorithm, L: number): Promise<Row> => {
    const row: Row = {
      algorithm: a.id,
      L,
      status: 'skipped',
      reason: whyNot(a, L),
      ms: null,
      gbps: null,
      gflops: null,
      copyFraction: null,
      bytesAllocated: null,
      trafficBytes: a.traffic(L),
      flops: a.flops(L),
      reps: null,
      timing: null,
      params: {},
      chosen: {},
      candidates: [],
    };
    if (row.reason) return row;
    try {
      gpu.timedStream = o.stream && o.stream.repeats > 1 ? o.stream : undefined;
      const { ran, ...m } = await measure(gpu, a.variants(L), mo).finally(() => {
        gpu.timedStream = undefined;
      });
      const flops = a.flops(L, m.params);
      const gbps = row.trafficBytes / (m.ms * 1e6);
      Object.assign(row, { status: 'ok', reason: null, ...m, flops, gbps, gflops: flops / (m.ms * 1e6) });
      row.copyFraction = gbps / start.gbps;
      last.set(a.id, row);
      o.onRan?.(row, ran);
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
      Object.assign(row, { status: ERR_SIZE.test(msg) ? 'skipped' : 'error', reason: msg });
    }
    return row;
  };
  for (const L of s.Ls) {
    clearInputs();
    for (const a of algs) {
      const label = `${a.label}, L=${lengthLabel(L)}`;
      progress.start(label);
      const row = await runRow(a, L);
      report.rows.push(row);
      progress.done(label, row.ms === null ? `${row.status}: ${row.reason}` : `${num(row.ms)} ms`);
      o.onRow?.(report);
      await o.between?.();
    }
  }
  clearInputs();
  // The ceiling is the better of the two copies, so no fraction is flattered by a slow one.
  if (!o.stopped?.()) {
    progress.start('copy kernel again');
    const end = await measureCopy(gpu, s.copyBytes, mo);
    progress.done('copy kernel again', `${num(end.gbps)} GB/s`);
    report.copy = { start, end, gbps: Math.max(start.gbps, end.gbps) };
  }
  for (const r of report.rows) if (r.gbps !== null) r.copyFraction = r.gbps / report.copy.gbps;
  report.comparisons = pairs(s)
    .filter((p) => algs.some((a) => a.id === p.a) && algs.some((a) => a.id === p.b))
    .map((p) => compare(report.rows, p));
  report.elapsedS = (performance.now() - t0) / 1000;
  progress.end();
  return report;
}
