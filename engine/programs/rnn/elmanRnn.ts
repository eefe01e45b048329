// elmanRnn: torch.nn.RNN (unidirectional, no dropout) on the GPU, layer by layer: the input projection for
// all T steps in parallel, then one workgroup per batch element walks the T steps with h in workgroup memory.
// Optionally traced (per-workgroup projection traffic, one W_hh event per step of the scan).

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { elmanRnn, type Nonlinearity } from '../../reference/rnn';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import { checkWeights, type RnnWeights } from './rnnStep';
import type { Program, RunOptions } from '../program';

export const ELMAN_PROJ_WG = 64;
const WG_PROJ = ELMAN_PROJ_WG;
const WG_SCAN = 256;
/** Input-row block of rnnInputProj.wgsl (XB): one x load event per block. */
export const ELMAN_PROJ_XB = 1024;
/** Trace tensor ids of shaders/rnn/rnnInputProj.wgsl and elmanRnn.wgsl. */
export const ELMAN_TENSORS = ['x', 'WihT', 'bih', 'bhh', 'P', 'WhhT', 'h0', 'out', 'hN'] as const;
/** h lives in workgroup memory: hidden f32 values. */
const MAX_HIDDEN = 4000;

export interface ElmanParams {
  T: number;
  b: number;
  inSize: number;
  hidden: number;
  layers: number;
  nonlinearity?: Nonlinearity;
  batchFirst?: boolean;
}
export interface ElmanInputs {
  x: Float32Array; // (T, b, in) or (b, T, in) when batchFirst
  h0: Float32Array | null; // (layers, b, hidden)
  weights: RnnWeights[]; // per layer: W_ih (hidden, in_l), W_hh, b_ih, b_hh
}
export type ElmanOutputs = { output: Float32Array | Float64Array; hN: Float32Array | Float64Array };

export function validateElman(label: string, p: ElmanParams, x: ElmanInputs): void {
  for (const key of ['T', 'b', 'inSize', 'hidden', 'layers'] as const) {
    const v = p[key];
    if (!Number.isInteger(v) || v < 1)
      throw new EngineError(label, `${key} must be a positive integer, got ${v}`);
  }
  if (p.hidden > MAX_HIDDEN) throw new EngineError(label, `hidden = ${p.hidden} exceeds ${MAX_HIDDEN}`);
  if (x.x.length !== p.T * p.b * p.inSize)
    throw new EngineError(label, `x has ${x.x.length} values, want T·b·in = ${p.T * p.b * p.inSize}`);
  if (x.h0 && x.h0.length !== p.layers * p.b * p.hidden)
    throw new EngineError(
      label,
      `h0 has ${x.h0.length} values, want layers·b·hidden = ${p.layers * p.b * p.hidden}`,
    );
  if (x.weights.length !== p.layers)
    throw new EngineError(label, `${x.weights.length} layers of weights, want ${p.layers}`);
  x.weights.forEach((w, l) => {
    checkWeights(label, w, l === 0 ? p.inSize : p.hidden, p.hidden, l);
  });
}

/** (rows, cols) -> (cols, rows): the kernels read weights transposed so their loads coalesce. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

export async function elmanRnnGpu(
  gpu: Gpu,
  p: ElmanParams,
  x: ElmanInputs,
  opts: RunOptions = {},
): Promise<{ output: Float32Array; hN: Float32Array; gpuMs: number | null; trace: TraceCapture | null }> {
  const label = 'elmanRnn';
  validateElman(label, p, x);
  const { T, b, hidden } = p;
  const rows = T * b;
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  const relu = p.nonlinearity === 'relu' ? 1 : 0;
  const TRACE = opts.trace ? 1 : 0;
  const scope = new BufferScope(gpu, label);
  try {
    const [kProj, kScan] = await Promise.all([
      kernel(gpu, {
        label: `${label}.inputProj`,
        sources: ['common/trace.wgsl', 'rnn/rnnInputProj.wgsl'],
        constants: { WG: WG_PROJ, TRACE },
      }),
      kernel(gpu, {
        label: `${label}.scan`,
        sources: ['common/trace.wgsl', 'rnn/elmanRnn.wgsl'],
        constants: { WG: WG_SCAN, RELU: relu, TRACE },
        prelude: `const HP: u32 = ${hidden}u;\nconst NJ: u32 = ${Math.ceil(hidden / WG_SCAN)}u;\n`,
      }),
    ]);
    const P = scope.storage('P', rows * hidden * 4);
    const outs = [
      scope.storage('out0', rows * hidden * 4),
      scope.storage('out1', p.layers > 1 ? rows * hidden * 4 : 4),
    ];
    const hN = scope.storage('hN', p.layers * b * hidden * 4);
    const h0 = scope.upload('h0', x.h0 ?? new Float32Array(1));
    const none = scope.storage('noBias', 4);
    const y = Math.min(rows, max);
    const projGroups = Math.ceil(hidden / WG_PROJ) * y * Math.ceil(rows / y);
    // Per projection workgroup: x blocks + 4 events; per scan workgroup: h0, one per step, 3 after the loop.
    const projEvents = (inSize: number) => projGroups * (Math.ceil(inSize / ELMAN_PROJ_XB) + 4);
    const capacity = x.weights.reduce(
      (s, _, l) => s + projEvents(l === 0 ? p.inSize : hidden) + b * (T + 4),
      0,
    );
    const trace = traceBuffer(scope, opts.trace ? capacity : 0);
    let wgBase = 0;
    const dispatches: Dispatch[] = [];
    let input = scope.upload('x', x.x);
    x.weights.forEach((w, l) => {
      const inSize = l === 0 ? p.inSize : hidden;
      const out = outs[l % 2];
      dispatches.push(
        {
          kernel: kProj,
          bindings: [
            scope.uniform(`projParams${l}`, [
              ['u32', T],
              ['u32', b],
              ['u32', inSize],
              ['u32', hidden],
              ['u32', p.batchFirst ? 1 : 0],
              ['u32', w.bih ? 1 : 0],
              ['u32', w.bhh ? 1 : 0],
              ['u32', l],
              ['u32', wgBase],
            ]),
            input,
            scope.upload(`WihT${l}`, transpose(w.Wih, hidden, inSize)),
            w.bih ? scope.upload(`bih${l}`, w.bih) : none,
            w.bhh ? scope.upload(`bhh${l}`, w.bhh) : none,
            P,
            trace,
          ],
          workgroups: [Math.ceil(hidden / WG_PROJ), y, Math.ceil(rows / y)],
        },
        {
          kernel: kScan,
          bindings: [
            scope.uniform(`scanParams${l}`, [
              ['u32', T],
              ['u32', b],
              ['u32', hidden],
              ['u32', p.batchFirst ? 1 : 0],
              ['u32', x.h0 ? 1 : 0],
              ['u32', l],
              ['u32', wgBase + projGroups],
            ]),
            P,
            scope.upload(`WhhT${l}`, transpose(w.Whh, hidden, hidden)),
            h0,
            out,
            hN,
            trace,
          ],
          workgroups: [Math.min(b, max), Math.ceil(b / Math.min(b, max))],
        },
      );
      input = out;
      wgBase += projGroups + b;
    });
    const { gpuMs } = await runDispatches(gpu, label, dispatches, { time: opts.time });
    return {
      output: await readF32(gpu, input, rows * hidden),
      hN: await readF32(gpu, hN, p.layers * b * hidden),
      gpuMs,
      trace: opts.trace ? await readTrace(gpu, trace, ELMAN_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
}

export function elmanReference(p: ElmanParams, x: ElmanInputs): { output: Float64Array; hN: Float64Array } {
  const r = elmanRnn(p, x.x, x.weights, x.h0);
  return { output: r.output, hN: r.hn };
}

export const elmanRnnProgram: Program<ElmanParams, ElmanInputs, ElmanOutputs> = {
  id: 'elmanRnn',
  title: 'Elman RNN (torch.nn.RNN), layer by layer',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    const s = 1 / Math.sqrt(p.hidden);
    return {
      x: rng.normals(p.T * p.b * p.inSize),
      h0: rng.normals(p.layers * p.b * p.hidden, 0.5),
      weights: Array.from({ length: p.layers }, (_, l) => ({
        Wih: rng.uniforms(p.hidden * (l === 0 ? p.inSize : p.hidden), -s, s),
        Whh: rng.uniforms(p.hidden * p.hidden, -s, s),
        bih: rng.uniforms(p.hidden, -s, s),
        bhh: rng.uniforms(p.hidden, -s, s),
      })),
    };
  },
  reference: elmanReference,
  async run(gpu, p, x, opts = {}) {
    const { output, hN, gpuMs, trace } = await elmanRnnGpu(gpu, p, x, opts);
    return { outputs: { output, hN }, gpuMs, trace };
  },
  tolerance: 1e-4,
};
