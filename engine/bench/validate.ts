// The report's schema, checked: one validator for every JSON a run writes, the CLI's (bench/bench.test.ts),
// the race stage's export (engine/stages/race.test.ts, e2e/race.spec.ts) and the H200 reference bundled
// with the stage. It checks shape, types and units and that each row's numbers agree with its status; never
// the timings. Returns what is wrong, one sentence each (empty when the report conforms).

import { EngineError } from '../gpu/errors';
import { type Report, SCHEMA, UNITS } from './report';

/** A row's fields, exactly. */
export const ROW_KEYS = [
  'algorithm',
  'L',
  'status',
  'reason',
  'ms',
  'gbps',
  'gflops',
  'copyFraction',
  'bytesAllocated',
  'trafficBytes',
  'flops',
  'reps',
  'timing',
  'params',
  'chosen',
  'candidates',
].sort();

/** Measured on a row that ran, null on one that did not. */
export const MEASURED = ['ms', 'gbps', 'gflops', 'copyFraction', 'bytesAllocated', 'reps'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const text = (v: unknown) => typeof v === 'string' && v.length > 0;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function ceilingProblems(c: unknown, at: string): string[] {
  if (!isObj(c)) return [`${at} is not an object`];
  const out = (['bytes', 'ms', 'gbps', 'reps'] as const)
    .filter((k) => !positive(c[k]))
    .map((k) => `${at}.${k} is not a positive number`);
  if (c.timing !== 'timestamps' && c.timing !== 'wall') out.push(`${at}.timing is ${String(c.timing)}`);
  if (!isObj(c.shape) || !positive(c.shape.items) || !['pass', 'resident'].includes(String(c.shape.grid)))
    out.push(`${at}.shape is not a copy shape`);
  return out;
}

/** A row's optional accuracy: an error within its positive tolerance, on a row that ran. */
function accuracyProblems(r: Obj, at: string): string[] {
  const a = r.accuracy;
  if (!isObj(a) || typeof a.error !== 'number' || !(a.error >= 0) || !positive(a.tolerance))
    return [`${at}.accuracy is not an error and a tolerance`];
  if (a.error > (a.tolerance as number)) return [`${at}.accuracy's error passes its tolerance`];
  if (r.status !== 'ok') return [`${at} did not run but has an accuracy`];
  return [];
}

/** A row's optional passes: kernels with a label, a positive count and a time, on a row that ran. */
function passProblems(r: Obj, at: string): string[] {
  const ps = r.passes;
  const ok = (p: unknown) =>
    isObj(p) && typeof p.label === 'string' && positive(p.count) && typeof p.ms === 'number' && p.ms >= 0;
  if (!Array.isArray(ps) || ps.length === 0 || !ps.every(ok))
    return [`${at}.passes are not kernels with times`];
  if (r.status !== 'ok') return [`${at} did not run but has passes`];
  return [];
}

function rowProblems(r: unknown, i: number, ids: Set<string>, Ls: number[]): string[] {
  if (!isObj(r)) return [`rows[${i}] is not an object`];
  const at = `rows[${i}] (${String(r.algorithm)} L=${String(r.L)})`;
  const out: string[] = [];
  const keys = Object.keys(r)
    .filter((k) => k !== 'accuracy' && k !== 'passes')
    .sort();
  if (!same(keys, ROW_KEYS)) out.push(`${at} has the fields ${Object.keys(r).sort()}`);
  if ('accuracy' in r) out.push(...accuracyProblems(r, at));
  if ('passes' in r) out.push(...passProblems(r, at));
  if (!ids.has(String(r.algorithm))) out.push(`${at} names no algorithm of the report`);
  if (!Ls.includes(r.L as number)) out.push(`${at} has an L outside sizes.Ls`);
  if (!positive(r.trafficBytes) || !positive(r.flops)) out.push(`${at} has no traffic or FLOP count`);
  if (!isObj(r.params) || !isObj(r.chosen) || !Array.isArray(r.candidates))
    out.push(`${at} lacks its params`);
  else
    for (const c of r.candidates)
      if (!isObj(c) || !isObj(c.params) || !positive(c.ms)) out.push(`${at} has a candidate without a time`);
  if (r.status === 'ok') {
    if (r.reason !== null) out.push(`${at} ran but gives a reason`);
    for (const k of MEASURED) if (!positive(r[k])) out.push(`${at}.${k} is not a positive number`);
    if (r.timing !== 'timestamps' && r.timing !== 'wall') out.push(`${at}.timing is ${String(r.timing)}`);
  } else if (r.status === 'skipped' || r.status === 'error') {
    if (!text(r.reason)) out.push(`${at} is ${r.status} without a reason`);
    for (const k of MEASURED) if (r[k] !== null) out.push(`${at}.${k} is set on a row that did not run`);
  } else out.push(`${at}.status is ${String(r.status)}`);
  return out;
}

function comparisonProblems(c: unknown, i: number, ids: Set<string>, Ls: number[]): string[] {
  if (!isObj(c)) return [`comparisons[${i}] is not an object`];
  const at = `comparisons[${i}] (${String(c.a)} vs ${String(c.b)})`;
  const out: string[] = [];
  if (!ids.has(String(c.a)) || !ids.has(String(c.b))) out.push(`${at} names an algorithm the report lacks`);
  if (c.claim !== null && !text(c.claim)) out.push(`${at}.claim is neither text nor null`);
  if (!Array.isArray(c.speedups) || !Array.isArray(c.crossovers)) return [...out, `${at} lacks its lists`];
  for (const s of c.speedups)
    if (!isObj(s) || !Ls.includes(s.L as number) || !positive(s.speedup))
      out.push(`${at} has a bad speed-up`);
  const [lo, hi] = [Math.min(...Ls), Math.max(...Ls)];
  for (const x of c.crossovers)
    if (!isObj(x) || !positive(x.ms) || typeof x.aFasterAbove !== 'boolean' || !positive(x.L))
      out.push(`${at} has a bad crossover`);
    else if ((x.L as number) < lo || (x.L as number) > hi) out.push(`${at} crosses outside the measured L`);
  return out;
}

/** What is wrong with `x` as a Report (seqscope-bench/1); [] when nothing is. */
export function reportProblems(x: unknown): string[] {
  if (!isObj(x)) return ['the report is not an object'];
  const out: string[] = [];
  if (x.schema !== SCHEMA) out.push(`schema is ${String(x.schema)}, not ${SCHEMA}`);
  if (typeof x.date !== 'string' || Number.isNaN(Date.parse(x.date))) out.push('date is not a date');
  if (!text(x.command)) out.push('command is empty');
  if (x.commit !== null && typeof x.commit !== 'string') out.push('commit is neither text nor null');
  const a = x.adapter;
  if (!isObj(a) || !text(a.name) || typeof a.via !== 'string' || !isObj(a.features) || !isObj(a.limits))
    out.push('adapter lacks its name, features or limits');
  else
    for (const [k, v] of Object.entries(a.limits))
      if (!positive(v)) out.push(`adapter.limits.${k} is not positive`);
  const s = x.sizes;
  const Ls = isObj(s) && Array.isArray(s.Ls) ? (s.Ls as number[]) : [];
  if (!isObj(s) || (s.name !== 'quick' && s.name !== 'full'))
    out.push('sizes.name is neither quick nor full');
  if (Ls.length === 0 || Ls.some((L) => !Number.isInteger(L) || L < 1)) out.push('sizes.Ls are not lengths');
  if (!isObj(x.method) || Object.values(x.method).some((v) => !Number.isFinite(v)))
    out.push('method has a field that is not a finite number');
  const c = x.copy;
  if (!isObj(c)) out.push('copy is missing');
  else {
    out.push(...ceilingProblems(c.start, 'copy.start'));
    if (c.end !== null) out.push(...ceilingProblems(c.end, 'copy.end'));
    if (!positive(c.gbps)) out.push('copy.gbps is not a positive number');
  }
  if (!same(x.units, UNITS)) out.push('units differ from the schema’s');
  if (typeof x.elapsedS !== 'number' || !(x.elapsedS >= 0)) out.push('elapsedS is not a duration');
  if (!Array.isArray(x.algorithms) || !Array.isArray(x.rows) || !Array.isArray(x.comparisons))
    return [...out, 'algorithms, rows or comparisons is not a list'];
  const algs = x.algorithms as unknown[];
  const ids = new Set(algs.map((g) => (isObj(g) ? String(g.id) : '')));
  if (ids.size !== algs.length) out.push('algorithm ids repeat');
  for (const g of algs)
    for (const k of ['id', 'label', 'family', 'shape', 'trafficFormula', 'flopsFormula'])
      if (!isObj(g) || !text(g[k])) out.push(`algorithm ${isObj(g) ? String(g.id) : '?'} lacks ${k}`);
  x.rows.forEach((r, i) => {
    out.push(...rowProblems(r, i, ids, Ls));
  });
  const pairs = new Set(x.rows.map((r) => (isObj(r) ? `${r.algorithm}@${r.L}` : '')));
  if (pairs.size !== x.rows.length) out.push('a row repeats an algorithm and L');
  if (x.rows.length !== ids.size * Ls.length) out.push('rows are not one per algorithm and L');
  x.comparisons.forEach((cmp, i) => {
    out.push(...comparisonProblems(cmp, i, ids, Ls));
  });
  return out;
}

/** `x` as a Report, or an error naming the first few problems. */
export function asReport(x: unknown): Report {
  const bad = reportProblems(x);
  if (bad.length > 0)
    throw new EngineError('bench.report', `not a ${SCHEMA} report: ${bad.slice(0, 5).join('; ')}`);
  return x as Report;
}
