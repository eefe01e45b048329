// `npm run bench -- --quick` as CI runs it (a child process, SwiftShader where there is no GPU): the JSON
// it writes passes the schema's validator (engine/bench/validate.ts, the one the race stage's export meets),
// every row ran, every algorithm and the papers' pairs are there; the SVG is well-formed
// XML with one path per algorithm that ran, labelled axes and a mark per crossover. Never the timings.
// compare() is checked on made-up rows, where the crossover is known.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, type Report, type Row } from '../engine/bench/report';
import type { Gpu } from '../engine/gpu/device';
import { matrixUnfit } from '../engine/gpu/matrix';
import { reportProblems } from '../engine/bench/validate';

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Throws unless `xml` is one well-formed element tree (tags nest and close, attributes quoted, no bare & or <). */
function checkXml(xml: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  const token = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null = token.exec(xml);
  while (m) {
    const [, close, name, , selfClose, text, stray] = m;
    if (stray) throw new Error(`a stray '<' at ${m.index}`);
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text))
        throw new Error(`a bare & in ${text}`);
      if (stack.length === 0 && text.trim()) throw new Error(`text outside the root: ${text.trim()}`);
    } else if (name && close) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open at ${m.index}`);
    } else if (name) {
      if (stack.length === 0 && seen.length > 0) throw new Error('a second root element');
      seen.push(name);
      if (!selfClose) stack.push(name);
    }
    m = token.exec(xml);
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(' > ')}`);
  return seen;
}

function runQuick(
  dir: string,
  extra: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = ['bench/run.ts', '--quick', '--max-ms', '1000000', '--json', join(dir, 'b.json')];
  args.push('--svg', join(dir, 'b.svg'), ...extra);
  return new Promise((resolve, reject) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), args, { timeout: 1_500_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench -- --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqscope-bench-'));
  let out: { code: number | null; stdout: string; stderr: string };
  let report: Report;
  let svg: string;

  beforeAll(async () => {
    out = await runQuick(dir);
    if (out.code !== 0) throw new Error(`bench exited ${out.code}:\n${out.stderr.slice(-3000)}`);
    report = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    svg = readFileSync(join(dir, 'b.svg'), 'utf8');
  }, 1_600_000);

  it('prints the table and shows progress', () => {
    expect(out.stdout).toMatch(/## Copy kernel/);
    expect(out.stdout).toMatch(/## Speed-ups/);
    expect(out.stderr).toMatch(/bench \[\d+\/\d+/);
  });

  it('writes a report the schema validator accepts, with the quick sizes and both copies', () => {
    expect(reportProblems(report)).toEqual([]);
    expect(report.command).toMatch(/--quick/);
    expect(report.sizes.name).toBe('quick');
    expect(report.copy.end).not.toBeNull();
    expect(report.copy.gbps).toBe(Math.max(report.copy.start.gbps, report.copy.end!.gbps));
    expect([report.method.streamRepeats, report.method.streamSets]).toEqual([1, 1]);
  });

  it('describes every algorithm and measures every row, but those for matrix units the adapter lacks', () => {
    expect(report.algorithms.length).toBeGreaterThanOrEqual(19);
    const unfit = matrixUnfit({ features: report.adapter.features } as Gpu);
    for (const r of report.rows) {
      if (/^(fa2Matrix|ssdMatrix\.)/.test(r.algorithm) && unfit) expect(r.reason).toBe(unfit);
      else expect(r.status, `${r.algorithm} L=${r.L}: ${r.reason}`).toBe('ok');
    }
  });

  it('times each pass of the rows whose variants run several, by kernel, on an adapter with timestamps', () => {
    const timed = report.rows.filter((r) => r.timing === 'timestamps');
    for (const r of report.rows.filter((x) => x.passes))
      for (const p of r.passes ?? []) expect(p.ms).toBeGreaterThanOrEqual(0);
    if (timed.length === 0) return;
    // The chunked SSD runs three or four kernels, whichever variant wins.
    const ssd = timed.filter((r) => r.algorithm.startsWith('ssdChunked.'));
    expect(ssd.length).toBeGreaterThan(0);
    for (const r of ssd) expect(r.passes?.length).toBeGreaterThanOrEqual(3);
  });

  it('checks the FlashAttention-2 rows against the float64 reference, within their tolerance', () => {
    const fa2 = report.rows.filter((r) => r.algorithm === 'fa2');
    expect(fa2.length).toBe(report.sizes.Ls.length);
    for (const r of fa2) {
      expect(r.accuracy?.tolerance).toBe(1e-4);
      expect(r.accuracy?.error).toBeLessThanOrEqual(1e-4);
      expect(r.candidates.every((c) => typeof c.error === 'number')).toBe(true);
    }
    expect(report.rows.filter((r) => r.algorithm === 'naive').every((r) => !('accuracy' in r))).toBe(true);
  });

  it('rejects a report whose rows break the schema', () => {
    const broken = structuredClone(report);
    broken.rows[0].ms = null;
    delete (broken.rows[1] as Partial<Row>).flops;
    broken.rows.pop();
    const skipped = broken.rows.find((r) => r.status === 'skipped');
    if (skipped) skipped.passes = [{ label: 'x', count: 1, ms: 1 }];
    const ran = broken.rows.find((r) => r.status === 'ok' && r !== broken.rows[0]);
    if (ran) ran.passes = [{ label: 'x', count: 0, ms: 1 }];
    const problems = reportProblems(broken);
    if (skipped) expect(problems.some((p) => p.includes('did not run but has passes'))).toBe(true);
    expect(problems.some((p) => p.includes('passes are not kernels with times'))).toBe(true);
    expect(problems.some((p) => p.includes('.ms is not a positive number'))).toBe(true);
    expect(problems.some((p) => p.includes('has the fields'))).toBe(true);
    expect(problems).toContain('rows are not one per algorithm and L');
  });

  it('compares pairs with finite speed-ups and crossovers inside the measured range', () => {
    const ids = report.algorithms.map((a) => a.id);
    const ran = (id: string) => report.rows.some((r) => r.algorithm === id && r.status === 'ok');
    const [lo, hi] = [Math.min(...report.sizes.Ls), Math.max(...report.sizes.Ls)];
    expect(report.comparisons.length).toBeGreaterThanOrEqual(8);
    for (const c of report.comparisons) {
      expect(ids).toContain(c.a);
      expect(ids).toContain(c.b);
      expect(c.speedups).toHaveLength(ran(c.a) && ran(c.b) ? report.sizes.Ls.length : 0);
      for (const s of c.speedups) expect(positive(s.speedup)).toBe(true);
      for (const x of c.crossovers) {
        expect(x.L).toBeGreaterThanOrEqual(lo);
        expect(x.L).toBeLessThanOrEqual(hi);
        expect(positive(x.ms)).toBe(true);
        expect(typeof x.aFasterAbove).toBe('boolean');
      }
    }
    expect(report.comparisons.filter((c) => c.claim).length).toBeGreaterThanOrEqual(4);
  });

  it('draws a well-formed SVG: one path per algorithm, labelled axes, the crossovers marked', () => {
    expect(checkXml(svg)[0]).toBe('svg');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const paths = [...svg.matchAll(/<path class="series" data-algorithm="([^"]+)"/g)].map((m) => m[1]);
    const ran = report.algorithms.filter((a) =>
      report.rows.some((r) => r.algorithm === a.id && r.status === 'ok'),
    );
    expect(paths.sort()).toEqual(ran.map((a) => a.id).sort());
    expect(svg).toMatch(/class="axis-label x"[^>]*>sequence length L/);
    expect(svg).toMatch(/class="axis-label y"[^>]*>time per run, ms/);
    const crossings = report.comparisons.reduce((n, c) => n + c.crossovers.length, 0);
    expect(svg.match(/<g class="crossover"/g)?.length ?? 0).toBe(crossings);
  });
});

describe('npm run bench -- --stream RxS', () => {
  it('times the rows as back-to-back repeats and says so in the report; refuses a malformed value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqscope-bench-'));
    // The chunked SSD runs three or four kernels, each timed on its own in a lone run (the test above).
    const got = await runQuick(dir, ['--only', '^ssdChunked\\.N16$', '--stream', '3x2']);
    expect(got.code, got.stderr.slice(-2000)).toBe(0);
    const r: Report = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(reportProblems(r)).toEqual([]);
    expect([r.method.streamRepeats, r.method.streamSets]).toEqual([3, 2]);
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows) {
      expect(row.status, `L=${row.L}: ${row.reason}`).toBe('ok');
      // Timestamps at the stream's two ends only: no pass has a time of its own.
      if (row.timing === 'timestamps') expect(row.passes).toBeUndefined();
    }
    expect(got.stdout).toMatch(/3 back-to-back repeats in one submission, inputs rotated over 2 copies/);
    const bad = mkdtempSync(join(tmpdir(), 'seqscope-bench-'));
    const refused = await runQuick(bad, ['--only', '^ssdChunked\\.N16$', '--stream', '2x3']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--stream wants RxS/);
    expect(() => readFileSync(join(bad, 'b.json'))).toThrow();
  }, 600_000);
});

describe('compare', () => {
  const row = (algorithm: string, L: number, ms: number): Row =>
    ({
      algorithm,
      L,
      ms,
      status: 'ok',
    }) as Row;

  it('finds where the faster algorithm changes, on log-log axes', () => {
    // a ∝ L, b ∝ L²/1024: equal at L = 1024, a faster above.
    const Ls = [256, 512, 2048, 4096];
    const rows = Ls.flatMap((L) => [row('a', L, L / 1000), row('b', L, (L * L) / 1024 / 1000)]);
    const c = compare(rows, { a: 'a', b: 'b' });
    expect(c.speedups.map((s) => s.L)).toEqual(Ls);
    expect(c.crossovers).toHaveLength(1);
    expect(c.crossovers[0].L).toBeCloseTo(1024, 6);
    expect(c.crossovers[0].ms).toBeCloseTo(1.024, 6);
    expect(c.crossovers[0].aFasterAbove).toBe(true);
  });

  it('uses only the lengths where both ran', () => {
    const rows = [row('a', 512, 1), row('b', 512, 2), row('a', 1024, 1), { ...row('b', 1024, 0), ms: null }];
    expect(compare(rows, { a: 'a', b: 'b' }).speedups).toEqual([{ L: 512, speedup: 2 }]);
  });
});
