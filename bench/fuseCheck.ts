// The device check of flashDecodingFast's folded combine (fuse): its one pass rests on an ordering WGSL
// does not promise (shaders/attention/flashDecodingFastFuse.wgsl), so on a real GPU, where workgroups run
// concurrently on many cores, each shape runs RUNS times folded and is compared every time with the
// two-pass form on the same inputs (O and lse, relative error beside the program's tolerance). A lost
// ordering would show as a run whose last workgroup merged a partial not yet written. Prints one line a
// shape; exits 1 if any run differs. Packed with the bench (`npm run bench:device`):
//   SEQSCOPE_SHADER_ROOT=.device/shaders FUSE_RUNS=200 .device/bin/node .device/fuseCheck.mjs

import { relError } from '../engine/bench/accuracy';
import { requestNodeGpu } from '../engine/node/gpu';
import { makeAttentionInputs } from '../engine/programs/attention/common';
import {
  type FlashDecodingFastParams,
  flashDecodingFastGpu,
  flashDecodingFastProgram,
} from '../engine/programs/attention/flashDecodingFast';

const { result } = await requestNodeGpu();
if (!result.ok) throw new Error(result.reason);
const gpu = result.gpu;
const runs = Number(process.env.FUSE_RUNS ?? 200);
const tol = flashDecodingFastProgram.tolerance;
const base = { b: 1, sq: 1, h: 32, hk: 8, d: 64, causal: false };
const shapes: FlashDecodingFastParams[] = [
  { ...base, sk: 16384, splits: 64, wg: 256, kpt: 4, lpk: 4, earlyV: false },
  { ...base, sk: 16384, splits: 64, wg: 128, kpt: 4, lpk: 4 },
  { ...base, sk: 16384, splits: 32, wg: 256, kpt: 2, lpk: 4 },
  { ...base, sk: 4096, splits: 16, wg: 256, kpt: 1, lpk: 4, earlyV: false },
  { ...base, sk: 2048, splits: 8, wg: 256, kpt: 4, lpk: 4, earlyV: false },
  { ...base, b: 2, sk: 4099, splits: 256, wg: 64, kpt: 1, lpk: 4 },
  { ...base, sq: 4, causal: true, sk: 1000, splits: 50, wg: 64 },
];
let bad = 0;
for (const p of shapes) {
  const x = makeAttentionInputs(p, 3);
  const want = (await flashDecodingFastGpu(gpu, p, x)).outputs;
  let worst = 0;
  let off = 0;
  for (let r = 0; r < runs; r++) {
    const got = (await flashDecodingFastGpu(gpu, { ...p, fuse: true }, x)).outputs;
    const e = Math.max(relError(got.out, want.out), relError(got.lse, want.lse));
    worst = Math.max(worst, e);
    if (!(e <= tol)) off++;
  }
  bad += off;
  const { b, sq, sk, splits, wg } = p;
  console.log(
    `${off ? 'BAD' : 'ok '} b=${b} sq=${sq} sk=${sk} splits=${splits} wg=${wg}: ${runs} folded runs, ${off} off, worst ${worst.toExponential(2)} (tolerance ${tol})`,
  );
}
process.exit(bad ? 1 : 0);
