// The device check of flashDecodingFast's folded combine (fuse): its one pass rests on an ordering WGSL
// does not promise (shaders/attention/flashDecodingFastFuse.wgsl), so on a real GPU, where workgroups run
// concurrently on many cores, each shape runs RUNS times folded and is compared every time with the
// two-pass form on the same inputs (O and lse, relative error beside the program's tolerance). A lost
// ordering would show as a run whose last workgroup merged a partial not yet written. Every shape is held
// to the tiles kernel's two passes. Prints one line a shape; exits 1 if any run differs. Packed with the
// bench (`npm run bench:device`):
//   SEQSCOPE_SHADER_ROOT=.device/shaders FUSE_RUNS=200 .device/bin/node .device/fuseCheck.mjs

import { relError } from '../engine/bench/accuracy';
import { requestNodeGpu } from '../engine/node/gpu';
import { makeAttentionInputs } from '../engine/programs/attention/common';
import {
  flashDecodingFastGpu,
  flashDecodingFastProgram,
} from '../engine/programs/attention/flashDecodingFast';
import type { FlashDecodingFastParams } from '../engine/programs/attention/flashDecodingFastPlan';

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
  // The warps kernel at the bench's shapes (one key a lane group a step), and the 64-split shape run I's
  // probe refused once (its first run's error past the tolerance).
  ...[512, 2048, 4096, 16384].flatMap((sk) => [
    { ...base, sk, splits: Math.ceil(sk / 128), wg: 128, kpt: 1, lpk: 4, kernel: 'warps' as const },
    { ...base, sk, splits: Math.ceil(sk / 256), wg: 256, kpt: 1, lpk: 4, kernel: 'warps' as const },
  ]),
  { ...base, sq: 4, causal: true, sk: 1000, splits: 50, wg: 64, kpt: 1, kernel: 'warps' },
];
let bad = 0;
for (const p of shapes) {
  const x = makeAttentionInputs(p, 3);
  // Held to the tiles kernel's two passes; a warps shape's two passes are checked every run too, so a
  // fault of the warps kernel itself shows apart from one of the folded combine.
  const want = (await flashDecodingFastGpu(gpu, { ...p, kernel: 'tiles' }, x)).outputs;
  const forms = p.kernel === 'warps' ? [true, false] : [true];
  const worst = [0, 0];
  const off = [0, 0];
  for (let r = 0; r < runs; r++) {
    for (const [n, fuse] of forms.entries()) {
      const got = (await flashDecodingFastGpu(gpu, { ...p, fuse }, x)).outputs;
      const e = Math.max(relError(got.out, want.out), relError(got.lse, want.lse));
      worst[n] = Math.max(worst[n], e);
      if (!(e <= tol)) off[n]++;
    }
  }
  bad += off[0] + off[1];
  const { b, sq, sk, splits, wg, kernel = 'tiles' } = p;
  const apart = p.kernel === 'warps' ? `; two passes ${off[1]} off, worst ${worst[1].toExponential(2)}` : '';
  console.log(
    `${off[0] + off[1] ? 'BAD' : 'ok '} ${kernel} b=${b} sq=${sq} sk=${sk} splits=${splits} wg=${wg}: ${runs} folded runs, ${off[0]} off, worst ${worst[0].toExponential(2)}${apart} (tolerance ${tol})`,
  );
}
process.exit(bad ? 1 : 0);
