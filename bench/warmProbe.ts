// Bench rows under several warm-up bursts, one process: for each burst (awaited ms before every timed run),
// the copy ceiling and then each row at one L, measured as `npm run bench` measures them
// (engine/bench/harness.ts's measure, 3 timed runs), optionally on the variants whose params match a regex;
// prints the time, the fraction of copy, the chosen params, its passes and every variant's single timed
// run. The measurements behind BENCHMARKS.md's run G. PROBE_COPY sets the copy's bytes (1 GiB; a small
// one reads a pass's fixed cost); the row fa2Tiles times FlashAttention-2 at PROBE_FA2's tiles, decodeShapes flashDecodingFast at PROBE_DEC's; PROBE_NOCHECK skips the accuracy check (profiles by subtraction). Packed with the bench (`npm run bench:device`):
//   PROBE='flashDecoding@16384;ssdMatrix.N64@16384~"Q":64' PROBE_WARM='1000,200' \
//   SEQSCOPE_SHADER_ROOT=.device/shaders .device/bin/node .device/warmProbe.mjs

import { measureCopy, warmUp } from '../engine/bench/copy';
import { attentionError } from '../engine/bench/accuracy';
import { clearInputs, measure, type Params, programVariant, type Variant } from '../engine/bench/harness';
import { FULL } from '../engine/bench/sizes';
import { algorithms } from '../engine/bench/suite';
import { requestNodeGpu } from '../engine/node/gpu';
import { makeAttentionInputs } from '../engine/programs/attention/common';
import { flashAttentionFastProgram } from '../engine/programs/attention/flashAttentionFast';
import { flashDecodingFastProgram } from '../engine/programs/attention/flashDecodingFast';

const { result } = await requestNodeGpu();
if (!result.ok) throw new Error(result.reason);
const gpu = result.gpu;
const rows = (process.env.PROBE ?? 'flashDecoding@16384').split(';').map((spec) => {
  const [head, match] = spec.split('~');
  const [id, L] = head.split('@');
  return { id, L: Number(L), match: match ? new RegExp(match) : null };
});
const bursts = (process.env.PROBE_WARM ?? '1000').split(',').map(Number);
const algs = algorithms(FULL);
// Attention inputs for `shape`, drawn on the first run that asks and shared by every variant of the row.
function lazyInputs(shape: Parameters<typeof makeAttentionInputs>[0], seed: number) {
  let x: ReturnType<typeof makeAttentionInputs> | undefined;
  return async () => {
    x ??= makeAttentionInputs(shape, seed);
    return x;
  };
}

// Row 'fa2Tiles': the register-tiled FlashAttention-2 at the tiles PROBE_FA2 lists (JSON, e.g.
// '[{"Br":128,"Bc":32,"rm":4,"tc":8}]'), at the bench's shape, checked like the fa2 row's variants.
function fa2Tiles(L: number): Variant[] {
  const { h, hk, d } = FULL.attention;
  const shape = { b: 1, sq: L, sk: L, h, hk, d, causal: true };
  const inputs = lazyInputs(shape, 1);
  const tiles: Array<{ Br: number; Bc: number; rm: number; tc: number }> = JSON.parse(
    process.env.PROBE_FA2 ?? '[]',
  );
  return tiles.map((t) =>
    programVariant(flashAttentionFastProgram, { ...shape, ...t }, inputs, t, attentionError(shape)),
  );
}
// Row 'decodeShapes': flashDecodingFast at the shapes PROBE_DEC lists (JSON; `keys` a split sets splits,
// e.g. '[{"wg":256,"lpk":4,"kpt":2,"earlyV":false,"fuse":true,"keys":256}]'), checked like the bench's.
function decodeShapes(L: number): Variant[] {
  const { h, hk, d } = FULL.attention;
  const shape = { b: 1, sq: 1, sk: L, h, hk, d, causal: false };
  const inputs = lazyInputs(shape, 2);
  const asks: Array<Record<string, number | boolean>> = JSON.parse(process.env.PROBE_DEC ?? '[]');
  return asks.map(({ keys, ...a }) => {
    const p = { ...shape, ...a, splits: Math.max(1, Math.ceil(L / Number(keys))) };
    return programVariant(
      flashDecodingFastProgram,
      p,
      inputs,
      { ...a, keys } as Params,
      attentionError(shape),
    );
  });
}
const fmt = (x: number) => x.toPrecision(4);
for (const ms of bursts) {
  const o = { reps: 3, rowBudgetMs: 2000, warm: () => warmUp(gpu, ms) };
  const copy = await measureCopy(gpu, Number(process.env.PROBE_COPY ?? 2 ** 30), o);
  console.log(`burst ${ms} ms: copy of ${copy.bytes} B ${copy.ms.toFixed(4)} ms = ${fmt(copy.gbps)} GB/s`);
  const streams = (process.env.PROBE_STREAM ?? '1x1').split(',').map((t) => t.split('x').map(Number));
  for (const [repeats, sets] of streams)
    for (const r of rows) {
      const own: Record<string, [string, (L: number) => Variant[]]> = {
        fa2Tiles: ['fa2', fa2Tiles],
        decodeShapes: ['flashDecoding', decodeShapes],
      };
      const a = algs.find((x) => x.id === (own[r.id]?.[0] ?? r.id));
      if (!a) throw new Error(`no row ${r.id}`);
      // PROBE_NOCHECK: no accuracy check (shader copies with a part removed give wrong results, times only).
      const vs = (own[r.id] ? own[r.id][1](r.L) : a.variants(r.L))
        .filter((v) => !r.match || r.match.test(JSON.stringify(v.params)))
        .map((v) => (process.env.PROBE_NOCHECK ? { ...v, tolerance: undefined } : v));
      if (vs.length === 0) throw new Error(`no variant of ${r.id} matches ${r.match}`);
      gpu.timedStream = repeats > 1 ? { repeats, sets } : undefined;
      const m = await measure(gpu, vs, o);
      gpu.timedStream = undefined;
      const pct = (a.traffic(r.L) / (m.ms * 1e6) / copy.gbps) * 100;
      const passes = (m.passes ?? []).map((p) => `${p.label} ${p.ms.toFixed(4)}`).join(' + ');
      console.log(
        `  ${r.id} L=${r.L}${repeats > 1 ? ` stream ${repeats}x${sets}` : ''}: ${m.ms.toFixed(4)} ms (${pct.toFixed(1)}% of copy) ${JSON.stringify(m.params)} ran ${JSON.stringify(m.chosen)} ${passes}`,
      );
      for (const c of m.candidates)
        console.log(`      ${c.ms.toFixed(4)} ${JSON.stringify(c.params)}${c.refused ? ' refused' : ''}`);
      clearInputs(true);
    }
}
process.exit(0);
