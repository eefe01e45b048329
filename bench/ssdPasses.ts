// Per-pass GPU times of the fast chunked SSD (ssdFast, f32) and its matrix-unit form (ssdMatrix) at the
// bench's shape (batch 1, T = 4096, H = 32, P = N = 64, Q = 64), three timed runs each after a 600 ms warm-up
// burst, the median printed with each pass's share. It reads the WGSL under SEQSCOPE_SHADER_ROOT, so the
// profile by subtraction in BENCHMARKS.md (run F) is this script over copies of shaders/ with one part
// removed each (results wrong, times only). Packed with the bench (`npm run bench:device`):
//   SEQSCOPE_SHADER_ROOT=.device/shaders .device/bin/node .device/ssdPasses.mjs

import { warmUp } from '../engine/bench/copy';
import type { DispatchRecord } from '../engine/gpu/kernel';
import { requestNodeGpu } from '../engine/node/gpu';
import { makeSsdInputs } from '../engine/programs/ssd/ssdChunked';
import { ssdFastGpu } from '../engine/programs/ssd/ssdFast';
import { ssdMatrixGpu } from '../engine/programs/ssd/ssdMatrix';
import { matrixUnfit } from '../engine/gpu/matrix';

const { result } = await requestNodeGpu();
if (!result.ok) throw new Error(result.reason);
const gpu = result.gpu;
const tag = process.env.TAG ?? 'shaders';
const T = Number(process.env.SSD_T ?? 4096);
const p = { batch: 1, T, H: 32, P: 64, N: 64, G: 1, Q: 64 };
const x = makeSsdInputs(p, 5);
type Timed = { gpuMs: number | null; dispatches: DispatchRecord[] };
const forms: Array<[string, () => Promise<Timed>]> = [
  ['ssdFast 4x4', () => ssdFastGpu(gpu, { ...p, shape: { RM: 4, RN: 4, KS: 32 } }, x, { time: true })],
];
if (!matrixUnfit(gpu))
  forms.push([
    'ssdMatrix 4 across',
    () => ssdMatrixGpu(gpu, { ...p, shape: { SGC: 4, KS: 64 } }, x, { time: true }),
  ]);
for (const [name, run] of forms) {
  await run(); // pipelines built, buffers first touched
  const runs: Timed[] = [];
  for (let i = 0; i < 3; i++) {
    let warming = false; // the burst's own timed copies must not warm up again
    gpu.beforeTimedRun = async () => {
      if (warming) return;
      warming = true;
      try {
        await warmUp(gpu, 600);
      } finally {
        warming = false;
      }
    };
    runs.push(await run());
    gpu.beforeTimedRun = undefined;
  }
  runs.sort((a, b) => (a.gpuMs ?? 0) - (b.gpuMs ?? 0));
  const r = runs[1];
  const passes = r.dispatches.map((d) => `${d.label} ${d.gpuMs?.toFixed(4)}`).join(' + ');
  console.log(`${tag} ${name} T=${T}: ${r.gpuMs?.toFixed(4)} ms = ${passes}`);
}
process.exit(0);
