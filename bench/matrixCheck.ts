// The device check of the matrix-unit kernels (flashAttentionMatrix, ssdMatrix) over shapes and tile sets
// that only an adapter with subgroup matrices can run (the unit tests skip them on SwiftShader): each
// output against the float64 reference and against the f32 kernel of the same program family, its error
// relative to max(1, |reference|) beside the program's tolerance. Prints one line a case; exits 1 if any
// case fails or errs, 2 if the adapter has no matrix units. Packed with the bench (`npm run bench:device`):
//   SEQSCOPE_SHADER_ROOT=.device/shaders .device/bin/node .device/matrixCheck.mjs

import { relError } from '../engine/bench/accuracy';
import { matrixUnfit } from '../engine/gpu/matrix';
import { requestNodeGpu } from '../engine/node/gpu';
import { flashAttentionProgram } from '../engine/programs/attention/flashAttention';
import {
  type FlashAttentionMatrixParams,
  flashAttentionMatrixProgram,
} from '../engine/programs/attention/flashAttentionMatrix';
import { ssdFastProgram } from '../engine/programs/ssd/ssdFast';
import { type SsdMatrixParams, ssdMatrixProgram } from '../engine/programs/ssd/ssdMatrix';

const { result } = await requestNodeGpu();
if (!result.ok) throw new Error(result.reason);
const gpu = result.gpu;
const unfit = matrixUnfit(gpu);
console.log(`adapter: ${gpu.adapterName}; matrix units: ${unfit ?? 'yes'}`);
if (unfit) process.exit(2);

let failed = 0;
async function check(what: string, tolerance: number, run: () => Promise<Record<string, number>>) {
  try {
    const errs = await run();
    const ok = Object.values(errs).every((e) => e <= tolerance);
    if (!ok) failed++;
    const shown = Object.entries(errs).map(([k, e]) => `${k} ${e.toExponential(2)}`);
    console.log(`${ok ? 'ok ' : 'BAD'} ${what}: ${shown.join(', ')} (tolerance ${tolerance})`);
  } catch (err) {
    failed++;
    console.log(`ERR ${what}: ${String(err).slice(0, 400)}`);
  }
}

const attention = [
  { b: 1, sq: 64, sk: 64, h: 1, hk: 1, d: 64, causal: true },
  { b: 1, sq: 100, sk: 100, h: 4, hk: 2, d: 64, causal: true },
  { b: 2, sq: 77, sk: 130, h: 4, hk: 1, d: 32, causal: true },
  { b: 2, sq: 130, sk: 77, h: 2, hk: 2, d: 16, causal: true },
  { b: 1, sq: 200, sk: 150, h: 2, hk: 1, d: 128, causal: false },
  { b: 1, sq: 1, sk: 300, h: 8, hk: 8, d: 64, causal: false },
  { b: 1, sq: 300, sk: 300, h: 2, hk: 1, d: 96, causal: true },
  { b: 1, sq: 513, sk: 513, h: 2, hk: 1, d: 64, causal: true },
];
const attentionTiles = [{}, { SG: 8, BC: 32 }, { SG: 4, BC: 32 }, { SG: 2, BC: 64 }];
for (const c of attention) {
  const x = flashAttentionMatrixProgram.makeInputs(c, 7);
  const ref = flashAttentionMatrixProgram.reference(c, x);
  const f32 = await flashAttentionProgram.run(gpu, { ...c, Br: 16, Bc: 16 }, x);
  for (const tiles of attentionTiles) {
    const p: FlashAttentionMatrixParams = { ...c, tiles };
    await check(
      `flashAttentionMatrix ${JSON.stringify(p)}`,
      flashAttentionMatrixProgram.tolerance,
      async () => {
        const got = await flashAttentionMatrixProgram.run(gpu, p, x);
        return {
          out: relError(got.outputs.out, ref.out),
          lse: relError(got.outputs.lse, ref.lse),
          'out vs f32': relError(got.outputs.out, f32.outputs.out),
        };
      },
    );
  }
}

const ssd = [
  { batch: 1, T: 256, H: 2, P: 64, N: 64, G: 1, Q: 64 },
  { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q: 64, withInit: true },
  { batch: 2, T: 150, H: 4, P: 70, N: 72, G: 2, Q: 64, withInit: true },
  { batch: 1, T: 333, H: 2, P: 16, N: 16, G: 1, Q: 16, withInit: true },
  { batch: 1, T: 200, H: 2, P: 64, N: 128, G: 1, Q: 128, withInit: true },
  { batch: 2, T: 90, H: 3, P: 16, N: 64, G: 3, Q: 32 },
  { batch: 1, T: 40, H: 2, P: 6, N: 5, G: 1, Q: 17 },
  { batch: 1, T: 1000, H: 4, P: 64, N: 64, G: 1, Q: 64, withInit: true },
  // Whole tiles everywhere: results stored straight from the matrices (DIRECT).
  { batch: 2, T: 1024, H: 4, P: 64, N: 64, G: 2, Q: 64, withInit: true },
  { batch: 1, T: 512, H: 2, P: 128, N: 128, G: 1, Q: 128 },
];
const ssdShapes = [
  { SGC: 1, KS: 64 },
  { SGC: 2, KS: 64 },
  { SGC: 4, KS: 64 },
  { SGC: 2, KS: 16 },
] as const;
for (const c of ssd) {
  const x = ssdMatrixProgram.makeInputs(c, 21);
  const ref = ssdMatrixProgram.reference(c, x);
  const f32 = await ssdFastProgram.run(gpu, c, x);
  for (const shape of ssdShapes) {
    const p: SsdMatrixParams = { ...c, shape };
    await check(`ssdMatrix ${JSON.stringify(p)}`, ssdMatrixProgram.tolerance, async () => {
      const got = await ssdMatrixProgram.run(gpu, p, x);
      return {
        Y: relError(got.outputs.Y, ref.Y),
        state: relError(got.outputs.finalState, ref.finalState),
        'Y vs f32': relError(got.outputs.Y, f32.outputs.Y),
      };
    });
  }
}
console.log(
  failed === 0 ? 'matrix check: every case within tolerance' : `matrix check: ${failed} case(s) failed`,
);
process.exit(failed === 0 ? 0 : 1);
