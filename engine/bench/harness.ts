// Benchmark harness: an Algorithm is one computation at every sequence length L (its compulsory traffic and
// FLOP formulas, its variants at each L), a Variant one way to run it through the engine's programs, and
// measure() times variants (timestamp queries, median of repeats after an untimed run, an awaited warm-up
// burst before each timed run). The subject files (attention.ts, scans.ts, forms.ts, blocks.ts) build
// Algorithms from programVariant; suite.ts runs them; bench/run.ts is the CLI and engine/stages/race.ts
// the browser's front end. Nothing here imports a subject file, so engine/bench/ has no import cycle
// (engine/architecture.test.ts).

import type { Gpu } from '../gpu/device';
import type { DispatchRecord } from '../gpu/kernel';
import { EngineError } from '../gpu/errors';
import type { Host, Program } from '../programs/program';

/** Bytes of one f32 value: every algorithm here is float32. */
export const F32 = 4;

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

/** What one run reports: GPU time (null without timestamps), what ran, and numbers the program chose. */
export interface RunRecord {
  gpuMs: number | null;
  dispatches: DispatchRecord[];
  /** Numeric fields the program returned beside its outputs (FlashAttention's Br, Bc; naive's slices). */
  chosen: Record<string, number>;
  /** Where the run was asked to check itself: its outputs' error against the float64 reference. */
  error?: number;
}

/** The GPU time of one kernel's passes in a timed run: `count` dispatches labelled `label`, `ms` in all. */
export interface PassTime {
  label: string;
  count: number;
  ms: number;
}

/**
 * The run's passes by kernel label, in the order they first ran, where every pass was timed and there was
 * more than one (a one-pass run's time is the row's own).
 */
export function passTimes(rec: Pick<RunRecord, 'dispatches'>): PassTime[] | null {
  const d = rec.dispatches;
  if (d.length < 2 || d.some((x) => x.gpuMs === undefined)) return null;
  const by = new Map<string, PassTime>();
  for (const x of d) {
    const p = by.get(x.label) ?? { label: x.label, count: 0, ms: 0 };
    p.count++;
    p.ms += x.gpuMs as number;
    by.set(x.label, p);
  }
  return [...by.values()];
}

/** A variant's error against the float64 reference and the tolerance it is held to. */
export interface Accuracy {
  error: number;
  tolerance: number;
}

/**
 * One way to run an algorithm at one L; where an algorithm has several, the fastest is reported. A variant
 * with a tolerance checks its first run's outputs against the float64 reference (run(gpu, true) sets
 * RunRecord.error), and is timed and chosen only where that error is within it.
 */
export interface Variant {
  params: Params;
  run: (gpu: Gpu, check?: boolean) => Promise<RunRecord>;
  tolerance?: number;
  /** Why this device cannot hold this variant's layout (workgroup invocations or memory), or null: left out. */
  unfit?: (gpu: Gpu) => string | null;
}

/** What the JSON says of an algorithm. */
export interface AlgorithmInfo {
  id: string;
  label: string;
  family: string;
  /** The fixed sizes in words (everything but L). */
  shape: string;
  /** The formulas in words, for the JSON and BENCHMARKS.md; an Algorithm's functions compute them. */
  trafficFormula: string;
  flopsFormula: string;
}

export interface Algorithm extends AlgorithmInfo {
  /** Compulsory bytes: every input read once, every output written once. */
  traffic: (L: number) => number;
  /** FLOPs at L for the variant reported (its params: SSD's chunk). */
  flops: (L: number, params?: Params) => number;
  /** Bytes of the largest tensor the algorithm must hold in one storage binding. */
  largest: (L: number) => number;
  /** Why not to run at this L (a program's own size limit) or on this device (a feature it lacks), or null. */
  skip?: (L: number, gpu: Gpu) => string | null;
  variants: (L: number) => Variant[];
}

const inputs = new Map<string, unknown>();
const bases = new Map<string, unknown>();
/** Every input maker by key, as the subject files registered it (through inputsAt). */
const makers = new Map<string, (L: number) => object>();

/**
 * Where a length's inputs are made: here, on the calling thread (the CLI), or somewhere else that makes
 * the same arrays with makeInputsAt (the race stage's worker, so drawing 10⁸ values never blocks the page).
 */
export type InputSource = (key: string, L: number, base: number) => Promise<object>;
let source: InputSource | null = null;

export function setInputSource(s: InputSource | null): void {
  source = s;
}

function once<T>(store: Map<string, unknown>, key: string, make: () => T): T {
  if (!store.has(key)) store.set(key, make());
  return store.get(key) as T;
}

/** Drops the inputs of the last L, so host memory holds one length's tensors at a time (`all`: the bases too). */
export function clearInputs(all = false): void {
  inputs.clear();
  if (all) bases.clear();
}

/**
 * Inputs at L made by the maker registered under `key`: `make(L)` at the suite's shortest length `base`; at
 * a longer L that `base` divides, `make(base)` with every array that grows with L (found against
 * `make(base / 2)`) repeated end to end up to its length at L. Each such array's values are independent
 * draws of one distribution (normals, uniforms), so the repeat is a valid input with the same statistics,
 * and nothing these kernels do depends on the values; drawing the ~10⁹ values of L = 16K in JavaScript
 * would take minutes of the GPU machine's time.
 */
export function makeInputsAt(key: string, L: number, base: number): object {
  return madeAt(key, L, base).inputs;
}

/** Every ArrayBuffer behind an object's typed arrays (those a postMessage may transfer). */
const buffersOf = (o: object): ArrayBuffer[] =>
  Object.values(o).flatMap((v) =>
    ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer ? [v.buffer] : [],
  );

/**
 * makeInputsAt, and the buffers made for this call alone (safe to transfer): the arrays repeated up to L,
 * or all of them where nothing was cached; never the cached base arrays shared with later lengths.
 */
export function madeAt(key: string, L: number, base: number): { inputs: object; fresh: ArrayBuffer[] } {
  const make = makers.get(key);
  if (!make) throw new EngineError('bench.inputs', `no inputs registered as ${key}`);
  const whole = () => {
    const inputs = make(L);
    return { inputs, fresh: buffersOf(inputs) };
  };
  if (L === base || L % base !== 0 || base % 2 !== 0) return whole();
  const small = once(bases, `${key}@${base}`, () => make(base)) as Record<string, unknown>;
  const half = once(bases, `${key}@${base / 2}`, () => make(base / 2)) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...small };
  const fresh: ArrayBuffer[] = [];
  for (const [k, v] of Object.entries(small)) {
    const h = half[k];
    if (!(v instanceof Float32Array) || !(h instanceof Float32Array) || h.length === v.length) continue;
    if (2 * h.length !== v.length) return whole();
    const t = new Float32Array((v.length / base) * L);
    for (let at = 0; at < t.length; at += v.length) t.set(v, at);
    out[k] = t;
    fresh.push(t.buffer);
  }
  return { inputs: out, fresh };
}

/**
 * The inputs at L as a thunk shared by the algorithms at that L (made once per key and L, by the input
 * source where one is set); registers `make` under `key` for makeInputsAt.
 */
export function inputsAt<I extends object>(
  key: string,
  make: (L: number) => I,
  L: number,
  base: number,
): () => Promise<I> {
  makers.set(key, make);
  return () =>
    once(inputs, `${key}.${L}`, () =>
      source ? source(key, L, base) : Promise.resolve().then(() => makeInputsAt(key, L, base)),
    ) as Promise<I>;
}

/** A variant's `unfit` from a planner that throws where the device cannot run it: its message, or null. */
export function planRefusal(plan: () => unknown): string | null {
  try {
    plan();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * A variant timing `program.run` at fixed params on inputs made (or shared) by `x`. With `error` (the
 * outputs' error against the float64 reference, relative as program tolerances are), the variant is held
 * to the program's tolerance (see Variant).
 */
export function programVariant<P extends object, I, O extends Record<string, Host>>(
  program: Program<P, I, O>,
  params: P,
  x: () => Promise<I>,
  shown: Params = {},
  error?: (outputs: O, inputs: I) => number,
  unfit?: (gpu: Gpu) => string | null,
): Variant {
  return {
    params: shown,
    ...(error ? { tolerance: program.tolerance } : {}),
    ...(unfit ? { unfit } : {}),
    run: async (gpu, check = false) => {
      const inputs = await x();
      const r = await program.run(gpu, params, inputs, { time: true });
      const chosen: Record<string, number> = {};
      for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && k !== 'gpuMs') chosen[k] = v;
      const rec: RunRecord = { gpuMs: r.gpuMs, dispatches: r.dispatches, chosen };
      if (check && error) rec.error = error(r.outputs, inputs);
      return rec;
    },
  };
}

/**
 * Bytes of the distinct buffers the run's dispatches bound, read from their DispatchRecords (buffers are
 * told apart by label, so a program's repeated per-slice uniforms count once: a few bytes low at most).
 */
export function allocatedBytes(records: readonly DispatchRecord[]): number {
  const seen = new Map<string, number>();
  for (const d of records)
    for (const b of d.bindings) seen.set(b.label, Math.max(seen.get(b.label) ?? 0, b.bytes));
  let sum = 0;
  for (const v of seen.values()) sum += v;
  return sum;
}

export interface MeasureOptions {
  /** Timed runs at most (fewer where one run is long: see rowBudgetMs). */
  reps: number;
  /** GPU time to spend on one row's timed runs; reps shrink to fit, never below 1. */
  rowBudgetMs: number;
  /** Awaited before each timed run (bench/copy.ts's burst keeps the GPU clock up). */
  warm: (gpu: Gpu) => Promise<void>;
}

export interface Measured {
  ms: number;
  reps: number;
  timing: 'timestamps' | 'wall';
  bytesAllocated: number;
  params: Params;
  chosen: Record<string, number>;
  /**
   * Every variant tried, where there were several: its params and the time of its one timed run (of its
   * untimed run for one refused), with its error where it checked one and `refused` where that error passed
   * its tolerance.
   */
  candidates: Candidate[];
  /** The chosen variant's error, where it checked one. */
  accuracy?: Accuracy;
  /** The passes of the chosen variant's timed run nearest the median, by kernel (passTimes). */
  passes?: PassTime[];
  /** What the fastest variant's last run dispatched (the race stage's GPU panel; not a row field). */
  ran: RunRecord;
}

export interface Candidate {
  params: Params;
  ms: number;
  error?: number;
  refused?: true;
}

async function timed(
  gpu: Gpu,
  v: Variant,
  check = false,
): Promise<{ ms: number; wall: boolean; rec: RunRecord }> {
  const t0 = performance.now();
  const rec = await v.run(gpu, check);
  const wall = performance.now() - t0;
  return { ms: rec.gpuMs ?? wall, wall: rec.gpuMs === null, rec };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Each variant once untimed (pipelines built, buffers first touched) and once timed; then more timed runs
 * of the fastest, up to `reps` in all, or fewer where its runs are long. The median is reported.
 */
export async function measure(gpu: Gpu, variants: Variant[], o: MeasureOptions): Promise<Measured> {
  // With timestamps the warm-up runs inside the run, after its uploads and just before its timed
  // submission (Gpu.beforeTimedRun); timed by the wall clock, it runs before, outside what is timed.
  const warmTimed = async (v: Variant) => {
    if (!gpu.features.timestampQuery) {
      await o.warm(gpu);
      return timed(gpu, v);
    }
    let warming = false; // the burst's own timed dispatches must not warm up again
    gpu.beforeTimedRun = async () => {
      if (warming) return;
      warming = true;
      try {
        await o.warm(gpu);
      } finally {
        warming = false;
      }
    };
    try {
      return await timed(gpu, v);
    } finally {
      gpu.beforeTimedRun = undefined;
    }
  };
  const tried: Array<{ v: Variant; times: number[]; rec: RunRecord; wall: boolean; error?: number }> = [];
  const refused: Candidate[] = [];
  const held = variants.filter((v) => !v.unfit?.(gpu));
  if (held.length === 0)
    throw new EngineError(
      'bench',
      `no variant fits this device: ${variants.map((v) => v.unfit?.(gpu)).join('; ')}`,
    );
  for (const v of held) {
    const { rec, ms } = await timed(gpu, v, v.tolerance !== undefined);
    const error = rec.error;
    if (v.tolerance !== undefined && !(error !== undefined && error <= v.tolerance)) {
      refused.push({ params: v.params, ms, error: error ?? Number.NaN, refused: true });
      continue;
    }
    const t = await warmTimed(v);
    tried.push({ v, times: [t.ms], rec: t.rec, wall: t.wall, ...(error === undefined ? {} : { error }) });
  }
  if (tried.length === 0) {
    const worst = refused.map((c) => `${JSON.stringify(c.params)} ${c.error?.toExponential(2)}`).join(', ');
    throw new EngineError('bench', `every variant's error passes its tolerance (${worst}): none is timed`);
  }
  const best = tried.reduce((a, b) => (b.times[0] < a.times[0] ? b : a));
  const reps = Math.max(1, Math.min(o.reps, Math.floor(o.rowBudgetMs / Math.max(best.times[0], 1e-3))));
  const recs = [best.rec];
  while (best.times.length < reps) {
    const t = await warmTimed(best.v);
    best.times.push(t.ms);
    recs.push(t.rec);
  }
  const ms = median(best.times);
  const near = best.times.reduce((a, t, i) => (Math.abs(t - ms) < Math.abs(best.times[a] - ms) ? i : a), 0);
  const passes = passTimes(recs[near]);
  return {
    ms,
    reps: best.times.length,
    timing: best.wall ? 'wall' : 'timestamps',
    bytesAllocated: allocatedBytes(best.rec.dispatches),
    params: best.v.params,
    chosen: best.rec.chosen,
    candidates:
      tried.length + refused.length > 1
        ? [
            ...tried.map((t) => ({
              params: t.v.params,
              ms: t.times[0],
              ...(t.error === undefined ? {} : { error: t.error }),
            })),
            ...refused,
          ]
        : [],
    ...(best.error !== undefined && best.v.tolerance !== undefined
      ? { accuracy: { error: best.error, tolerance: best.v.tolerance } }
      : {}),
    ...(passes ? { passes } : {}),
    ran: best.rec,
  };
}
