// Bench rows under several warm-up policies, one process: for each policy (awaited burst ms : copies of it
// ahead of the timed passes in their own command buffer), each row at one L is measured as `npm run bench`
// measures it (engine/bench/harness.ts's measure, 3 timed runs), optionally on the variants whose params
// match a regex; prints the time, the chosen params, its passes and every variant's single timed run.
// The measurements behind BENCHMARKS.md's run G (what the host round trip between the burst and the timed
// submission cost). Packed with the bench (`npm run bench:device`):
//   PROBE='flashDecoding@16384;ssdMatrix.N64@16384~SGC":4' PROBE_POLICIES='1000:0,1000:64' \
//   SEQSCOPE_SHADER_ROOT=.device/shaders .device/bin/node .device/warmProbe.mjs

import { measureCopy, warmUp } from '../engine/bench/copy';
import { clearInputs, measure } from '../engine/bench/harness';
import { FULL } from '../engine/bench/sizes';
import { algorithms } from '../engine/bench/suite';
import { requestNodeGpu } from '../engine/node/gpu';

const { result } = await requestNodeGpu();
if (!result.ok) throw new Error(result.reason);
const gpu = result.gpu;
const rows = (process.env.PROBE ?? 'flashDecoding@16384').split(';').map((spec) => {
  const [head, match] = spec.split('~');
  const [id, L] = head.split('@');
  return { id, L: Number(L), match: match ? new RegExp(match) : null };
});
const policies = (process.env.PROBE_POLICIES ?? '1000:0,1000:64').split(',').map((s) => {
  const [ms, tail] = s.split(':').map(Number);
  return { ms, tail };
});
const algs = algorithms(FULL);
const fmt = (x: number) => x.toPrecision(4);
for (const pol of policies) {
  const o = { reps: 3, rowBudgetMs: 2000, warm: () => warmUp(gpu, pol.ms, 32 * 2 ** 20, pol.tail) };
  const copy = await measureCopy(gpu, Number(process.env.PROBE_COPY ?? 2 ** 30), o);
  console.log(`policy ${pol.ms} ms + ${pol.tail} copies: copy ${fmt(copy.gbps)} GB/s`);
  for (const r of rows) {
    const a = algs.find((x) => x.id === r.id);
    if (!a) throw new Error(`no row ${r.id}`);
    const vs = a.variants(r.L).filter((v) => !r.match || r.match.test(JSON.stringify(v.params)));
    if (vs.length === 0) throw new Error(`no variant of ${r.id} matches ${r.match}`);
    const m = await measure(gpu, vs, o);
    const pct = (a.traffic(r.L) / (m.ms * 1e6) / copy.gbps) * 100;
    const passes = (m.passes ?? []).map((p) => `${p.label} ${p.ms.toFixed(4)}`).join(' + ');
    console.log(
      `  ${r.id} L=${r.L}: ${m.ms.toFixed(4)} ms (${pct.toFixed(1)}% of copy) ${JSON.stringify(m.params)} ${passes}`,
    );
    for (const c of m.candidates)
      console.log(`      ${c.ms.toFixed(4)} ${JSON.stringify(c.params)}${c.refused ? ' refused' : ''}`);
    clearInputs(true);
  }
}
process.exit(0);
