// The race composite on Dawn (SwiftShader here): a software adapter races the quick sizes; a run of two
// algorithms gives a report the CLI's validator accepts, with the pair between them compared; Stop after
// the first row skips every later row (and the closing copy) as stopped and the report still validates;
// inputs made by an input source (the page's worker) equal the ones made in place; the presets name
// algorithms that exist; the bundled H200 reference passes the same schema.

import { afterEach, describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import {
  algorithms,
  makeInputsAt,
  PRESETS,
  presetIds,
  racePairs,
  racePlan,
  referenceReport,
  reportProblems,
  runRace,
  type RaceWatch,
  type Report,
  STOPPED,
  setInputSource,
} from './race';

const choice = { ids: ['decode1', 'flashDecoding'], from: 512, to: 2048, budgetS: 60 };

function watcher(stopAfter = Number.POSITIVE_INFINITY) {
  const seen = { total: 0, steps: [] as number[], reports: 0, ran: [] as string[], pauses: 0 };
  const watch: RaceWatch = {
    total: (n) => {
      seen.total = n;
    },
    step: (d) => {
      seen.steps.push(d);
    },
    report: () => {
      seen.reports++;
    },
    ran: (row, rec) => {
      seen.ran.push(`${row.algorithm}@${row.L}:${rec.dispatches.length > 0}`);
    },
    stopped: () => seen.reports >= stopAfter,
    between: async () => {
      seen.pauses++;
    },
  };
  return { seen, watch };
}

afterEach(() => setInputSource(null));

describe('the race plan', () => {
  it('races the quick sizes on a software adapter and the chosen lengths elsewhere', () => {
    const soft = racePlan('SwiftShader Device (Subzero) / google', choice);
    expect(soft.software).toBe(true);
    expect(soft.sizes.name).toBe('quick');
    const real = racePlan('NVIDIA H200 / nvidia', choice);
    expect(real.software).toBe(false);
    expect(real.sizes.Ls).toEqual([512, 1024, 2048]);
    expect(real.warmMs).toBeGreaterThan(0);
    expect(racePlan('NVIDIA', { ...choice, ids: ['fa2', 'nonsense'] }).ids).toEqual(['fa2']);
  });

  it('names only algorithms of the suite in every preset, and the preset pairs carry the claims', () => {
    const plan = racePlan('NVIDIA', choice);
    const ids = new Set(algorithms(plan.sizes).map((a) => a.id));
    for (const p of PRESETS) {
      const picked = presetIds(p, plan.sizes);
      expect(picked.length, p).toBeGreaterThanOrEqual(2);
      for (const id of picked) expect(ids.has(id), `${p}: ${id}`).toBe(true);
    }
    const claimed = (p: (typeof PRESETS)[number]) =>
      racePairs({ ...plan, ids: presetIds(p, plan.sizes) }).filter((x) => x.claim).length;
    expect(claimed('mambaFlash')).toBeGreaterThanOrEqual(1);
    expect(claimed('ssdScan')).toBeGreaterThanOrEqual(1);
    expect(claimed('decoding')).toBe(1);
  });
});

describe('a race on the GPU', () => {
  it('runs two algorithms at the quick lengths into a report the CLI validator accepts', async () => {
    const gpu = await testGpu();
    const plan = racePlan(gpu.adapterName, choice);
    const { seen, watch } = watcher();
    const report: Report = await runRace(gpu, plan, watch);
    expect(reportProblems(report)).toEqual([]);
    expect(report.algorithms.map((a) => a.id)).toEqual(['decode1', 'flashDecoding']);
    expect(report.rows.every((r) => r.status === 'ok')).toBe(true);
    expect(seen.total).toBe(2 * plan.sizes.Ls.length + 2);
    expect(seen.steps).toEqual(Array.from({ length: seen.total }, (_, i) => i + 1));
    expect(seen.pauses).toBe(report.rows.length);
    expect(seen.ran.every((s) => s.endsWith(':true'))).toBe(true);
    expect(report.copy.end).not.toBeNull();
    expect(report.comparisons.map((c) => `${c.a}/${c.b}`)).toEqual(['flashDecoding/decode1']);
  }, 300_000);

  it('stops after the row in flight: later rows are skipped as stopped, the report still validates', async () => {
    const gpu = await testGpu();
    const plan = racePlan(gpu.adapterName, choice);
    const { seen, watch } = watcher(1);
    const report = await runRace(gpu, plan, watch);
    expect(reportProblems(report)).toEqual([]);
    expect(report.rows[0].status).toBe('ok');
    for (const r of report.rows.slice(1)) expect([r.status, r.reason]).toEqual(['skipped', STOPPED]);
    expect(seen.ran).toHaveLength(1);
    expect(report.copy.end).toBeNull();
  }, 300_000);

  it('takes inputs from an input source, equal to the ones made in place', async () => {
    const gpu = await testGpu();
    const plan = racePlan(gpu.adapterName, { ...choice, ids: ['decode1'] });
    const asked: string[] = [];
    setInputSource(async (key, L, base) => {
      asked.push(`${key}@${L}/${base}`);
      return structuredClone(makeInputsAt(key, L, base));
    });
    const report = await runRace(gpu, plan, watcher().watch);
    expect(report.rows.every((r) => r.status === 'ok')).toBe(true);
    const base = plan.sizes.Ls[0];
    expect(asked).toEqual(plan.sizes.Ls.map((L) => `decoding@${L}/${base}`));
    // At a longer L the source's arrays are the base arrays repeated: the first `base` worth equal them.
    const at = makeInputsAt('decoding', 2 * base, base) as Record<string, unknown>;
    const small = makeInputsAt('decoding', base, base) as Record<string, unknown>;
    for (const [k, v] of Object.entries(small))
      if (v instanceof Float32Array && (at[k] as Float32Array).length === 2 * v.length)
        expect(Array.from((at[k] as Float32Array).subarray(v.length)), k).toEqual(Array.from(v));
  }, 300_000);
});

describe('the H200 reference', () => {
  it('passes the same schema as the CLI JSON and holds the full sizes', async () => {
    const r = await referenceReport();
    expect(reportProblems(r)).toEqual([]);
    expect(r.sizes.name).toBe('full');
    expect(r.adapter.name).toMatch(/nvidia/i);
  });
});
