// The fused scan's recurrence alone (shaders/bench/scanMicro.wgsl): no loads or stores of the scan's
// tensors, so each time is what a lane count, an ILP (chains a lane), the exponentials, the barriers and
// the workgroup-memory reads of the tile kernel's shape cost by themselves. The profile behind
// BENCHMARKS.md's run J. Each shape: an awaited warm-up burst, then REPS back-to-back dispatches in one
// submission, each its own timed pass; the median is printed with the exponential floor (the special-
// function units at 16 a clock an SM, SCAN_MICRO_SMS and SCAN_MICRO_MHZ, an H200's by default). Packed with
// the bench (`npm run bench:device`):
//   SEQSCOPE_SHADER_ROOT=.device/shaders .device/bin/node .device/scanMicro.mjs

import { measureCopy, warmUp } from '../engine/bench/copy';
import { gridFor } from '../engine/gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../engine/gpu/kernel';
import { BufferScope } from '../engine/gpu/tensor';
import { uniformFor } from '../engine/gpu/uniforms';
import { requestNodeGpu } from '../engine/node/gpu';

interface Shape {
  /** Lanes in all (D·N/4 at one chain a lane: 16K at D = 4096, N = 16). */
  lanes: number;
  wg: number;
  /** Chains of four states a lane. */
  ch: number;
  exps: 0 | 1;
  sync: number;
  stage: 0 | 1;
  /** KiB of workgroup memory held beside the kernel's own (occupancy by workgroup memory). */
  padKiB?: number;
}

const { result } = await requestNodeGpu();
if (!result.ok) throw new Error(result.reason);
const gpu = result.gpu;
const steps = Number(process.env.SCAN_MICRO_STEPS ?? 4096);
const reps = Number(process.env.SCAN_MICRO_REPS ?? 9);
const sms = Number(process.env.SCAN_MICRO_SMS ?? 132);
const mhz = Number(process.env.SCAN_MICRO_MHZ ?? 1980);
const K = 1024;
const base: Shape = { lanes: 16 * K, wg: 64, ch: 1, exps: 1, sync: 0, stage: 0 };
const shapes: Shape[] = process.env.SCAN_MICRO_SHAPES
  ? JSON.parse(process.env.SCAN_MICRO_SHAPES).map((s: Partial<Shape>) => ({ ...base, ...s }))
  : [
      base,
      { ...base, exps: 0 },
      { ...base, stage: 1 },
      { ...base, sync: 32 },
      { ...base, stage: 1, sync: 32 },
      { ...base, wg: 128 },
      { ...base, wg: 32 },
      { ...base, lanes: 8 * K, ch: 2 },
      { ...base, lanes: 4 * K, ch: 4 },
      { ...base, ch: 2 },
      { ...base, lanes: 32 * K },
      { ...base, lanes: 64 * K },
      { ...base, lanes: 128 * K },
      { ...base, lanes: 64 * K, exps: 0 },
      { ...base, lanes: 64 * K, stage: 1, sync: 32 },
      { ...base, lanes: 64 * K, wg: 256 },
    ];

/** The median of REPS back-to-back timed passes of `d`, after an awaited 1000 ms warm-up burst. */
async function medianPass(d: Dispatch): Promise<number> {
  await warmUp(gpu, 1000);
  const run = await runDispatches(
    gpu,
    d.kernel.label,
    Array.from({ length: reps }, () => d),
    { time: true },
  );
  return run.dispatches.map((r) => r.gpuMs ?? Number.NaN).sort((a, b) => a - b)[reps >> 1];
}

console.log(`scanMicro: ${gpu.adapterName}; ${steps} steps, median of ${reps} passes after a 1000 ms burst`);
const scope = new BufferScope(gpu, 'bench.scanMicro');
for (const s of shapes) {
  const k = await kernel(gpu, {
    label: 'bench.scanMicro',
    sources: ['common/grid.wgsl', 'bench/scanMicro.wgsl'],
    constants: { WG: s.wg, EXPS: s.exps, SYNC: s.sync, STAGE: s.stage, PAD: ((s.padKiB ?? 0) * 1024) / 16 },
    prelude: `const CH: u32 = ${s.ch}u;\n`,
  });
  const grid = gridFor(gpu, 'bench.scanMicro', Math.ceil(s.lanes / s.wg));
  const params = uniformFor(scope, k, { steps, seed: 0.25 });
  const outBuf = scope.storage(`out.${s.lanes}`, s.lanes * 4);
  const d = { kernel: k, bindings: { p: params.buffer, out: outBuf }, workgroups: grid.workgroups };
  const ms = await medianPass(d);
  const stateSteps = s.lanes * s.ch * 4 * steps;
  const expFloor = s.exps ? (stateSteps / (sms * 16 * mhz * 1e6)) * 1e3 : 0;
  const clocks = (ms * 1e-3 * mhz * 1e6) / steps;
  const warps = s.lanes / 32 / (sms * 4);
  console.log(
    `  lanes=${s.lanes / K}K wg=${s.wg} ch=${s.ch} exps=${s.exps} sync=${s.sync} stage=${s.stage} pad=${s.padKiB ?? 0}KiB: ` +
      `${ms.toFixed(4)} ms; ${((ms * 1e9) / stateSteps).toFixed(3)} ns per 1K (state, step)s; ` +
      `exp floor ${expFloor.toFixed(4)} ms; ${clocks.toFixed(1)} clocks a step; ${warps.toFixed(2)} warps a scheduler`,
  );
}
// The traffic alone, in the tile kernel's access pattern and others (shaders/bench/rowCopy.wgsl), at
// D = L = 4096 (u, δ, z read and out written: 256 MiB), beside the copy of the same bytes.
const D = 4096;
const L = 4096;
const rowShapes: Array<{ lpr: number; tv: number; pref: 0 | 1 }> = JSON.parse(
  process.env.SCAN_MICRO_ROWS ??
    '[{"lpr":4,"tv":2,"pref":1},{"lpr":4,"tv":2,"pref":0},{"lpr":4,"tv":4,"pref":1},{"lpr":4,"tv":8,"pref":1},{"lpr":16,"tv":2,"pref":1},{"lpr":32,"tv":1,"pref":1},{"lpr":64,"tv":1,"pref":1}]',
);
const src = scope.storage('rows.src', 3 * D * L * 4);
const dst = scope.storage('rows.dst', D * L * 4);
const o = { reps: 3, rowBudgetMs: 2000, warm: () => warmUp(gpu, 1000) };
const copy = await measureCopy(gpu, (4 * D * L * 4) / 2, o);
console.log(`rows: copy of ${copy.bytes} B ${copy.ms.toFixed(4)} ms = ${copy.gbps.toFixed(0)} GB/s`);
for (const r of rowShapes) {
  const k = await kernel(gpu, {
    label: 'bench.rowCopy',
    sources: ['common/grid.wgsl', 'bench/rowCopy.wgsl'],
    constants: { WG: 64, PREF: r.pref, LPR: r.lpr },
    prelude: `const TV: u32 = ${r.tv}u;\n`,
  });
  const grid = gridFor(gpu, 'bench.rowCopy', (D * r.lpr) / 64);
  const params = uniformFor(scope, k, { D, L });
  const d = { kernel: k, bindings: { p: params.buffer, src, dst }, workgroups: grid.workgroups };
  const ms = await medianPass(d);
  const gbps = (4 * D * L * 4) / (ms * 1e6);
  console.log(
    `  lanes a row ${r.lpr} (${(D * r.lpr) / K}K lanes), T = ${4 * r.lpr * r.tv} steps, prefetch ${r.pref}: ` +
      `${ms.toFixed(4)} ms = ${gbps.toFixed(0)} GB/s (${((gbps / copy.gbps) * 100).toFixed(1)}% of copy)`,
  );
}
scope.release();
process.exit(0);
