// Step mode for the Mamba-2 stage: one (chunk, phase) block of the chunked SSD per dispatch, read back
// after each, in the order chunk 0 phases 1-4, chunk 1 phases 1-4, ... Without a GPU the same blocks come
// from the float64 reference. Meant for short sequences (T ≤ 1024); the full op is mamba2Combined.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { mamba2Discretize, mamba2Gate, ssdChunked } from '../../reference/ssdChunked';
import { traceBuffer } from '../../trace/events';
import {
  checkMamba2,
  type Mamba2HostInputs,
  type Mamba2Params,
  mamba2GateDispatch,
  mamba2PrepDispatch,
} from './mamba2Combined';
import { readSlice, ssdBuffers } from './ssdChunked';
import { nChunks, phaseDispatch, ssdKernels, ssdTiles, ssdUniform } from './common';

export type SsdPhase = 1 | 2 | 3 | 4;

export const SSD_PHASE_NAMES: Record<SsdPhase, string> = {
  1: 'diagonal block output',
  2: 'chunk state',
  3: 'passed state',
  4: 'output contribution',
};

export interface SsdStepBlock {
  chunk: number;
  phase: SsdPhase;
  /** Rows [t0, t1) of the chunk. */
  t0: number;
  t1: number;
  /**
   * Phase 1: Ydiag rows (batch, t1−t0, H, P). Phase 2: the chunk's own state S_c (batch, H, P, N).
   * Phase 3: the state passed on after this chunk, passed[c+1] (batch, H, P, N) (the final state after
   * the last chunk). Phase 4: the contribution exp(Σ A) C_t · passed[c] (batch, t1−t0, H, P).
   */
  data: Float32Array | Float64Array;
  shape: number[];
  /** Phase 4 only: the finished SSD rows Ydiag + contribution, before D and the z gate. */
  y?: Float32Array | Float64Array;
}

export interface Mamba2Stepper {
  readonly backend: 'webgpu' | 'cpu';
  readonly nChunks: number;
  /** Steps taken so far (0 before the first). */
  readonly k: number;
  /** Every step in order: nChunks × 4. */
  readonly steps: ReadonlyArray<{ chunk: number; phase: SsdPhase }>;
  /** Runs the next (chunk, phase) block and reads it back. Throws past the last step. */
  step(): Promise<SsdStepBlock>;
  /** After the last step: out = (y + D x)·silu(z), (batch, T, H, P). */
  output(): Promise<Float32Array | Float64Array>;
  /** Back to step 0 (the discretized inputs are kept). */
  reset(): void;
  dispose(): void;
}

export const STEPPER_MAX_T = 1024;

/** Rows [t0, t1) of a (batch, T, H·P) array, for every batch: (batch, t1 − t0, H, P). */
function rows(
  a: ArrayLike<number>,
  p: Mamba2Params,
  t0: number,
  t1: number,
  Ctor: typeof Float32Array | typeof Float64Array,
) {
  const w = p.H * p.P;
  const out = new Ctor(p.batch * (t1 - t0) * w);
  for (let b = 0; b < p.batch; b++) {
    for (let t = t0; t < t1; t++) {
      for (let i = 0; i < w; i++) out[(b * (t1 - t0) + t - t0) * w + i] = a[(b * p.T + t) * w + i];
    }
  }
  return out;
}

function stepList(nC: number) {
  const steps: Array<{ chunk: number; phase: SsdPhase }> = [];
  for (let c = 0; c < nC; c++) for (const phase of [1, 2, 3, 4] as const) steps.push({ chunk: c, phase });
  return steps;
}

export async function createMamba2Stepper(
  gpu: Gpu | null,
  params: Mamba2Params,
  x: Mamba2HostInputs,
): Promise<Mamba2Stepper> {
  checkMamba2(params, x);
  // A chunk longer than the sequence is one chunk of length T.
  const p = { ...params, Q: Math.min(params.Q, params.T) };
  if (p.T > STEPPER_MAX_T)
    throw new EngineError('mamba2Stepper', `step mode is for T ≤ ${STEPPER_MAX_T}, got T=${p.T}`);
  const nC = nChunks(p.T, p.Q);
  const steps = stepList(nC);
  const sn = p.batch * p.H * p.P * p.N;
  const shapeState = [p.batch, p.H, p.P, p.N];
  const shapeRows = (t0: number, t1: number) => [p.batch, t1 - t0, p.H, p.P];
  const bounds = (c: number) => [c * p.Q, Math.min(p.T, (c + 1) * p.Q)] as const;
  let k = 0;
  const next = () => {
    if (k >= steps.length) throw new EngineError('mamba2Stepper', `all ${steps.length} steps are done`);
    return steps[k++];
  };

  if (gpu?.status !== 'ok') {
    const { X, Adt } = mamba2Discretize(p, x, p.dtSoftplus);
    const r = ssdChunked(p, p.Q, { X, A: Adt, B: x.B, C: x.C });
    return {
      backend: 'cpu',
      nChunks: nC,
      steps,
      get k() {
        return k;
      },
      async step() {
        const { chunk, phase } = next();
        const [t0, t1] = bounds(chunk);
        if (phase === 2 || phase === 3) {
          const slot = phase === 2 ? chunk : chunk + 1;
          const src = phase === 2 ? r.states : r.passed;
          return { chunk, phase, t0, t1, data: src.slice(slot * sn, (slot + 1) * sn), shape: shapeState };
        }
        const yd = rows(r.Ydiag, p, t0, t1, Float64Array);
        if (phase === 1) return { chunk, phase, t0, t1, data: yd, shape: shapeRows(t0, t1) };
        const y = rows(r.Y, p, t0, t1, Float64Array);
        return { chunk, phase, t0, t1, data: y.map((v, i) => v - yd[i]), shape: shapeRows(t0, t1), y };
      },
      async output() {
        if (k < steps.length)
          throw new EngineError('mamba2Stepper', `output needs all ${steps.length} steps, ${k} done`);
        return mamba2Gate(p, r.Y, x);
      },
      reset() {
        k = 0;
      },
      dispose() {},
    };
  }

  const scope = new BufferScope(gpu, 'mamba2Stepper');
  try {
    const tiles = ssdTiles(p, p.Q);
    const kernels = await ssdKernels(gpu, 'mamba2Stepper', tiles, false);
    const prep = await mamba2PrepDispatch(gpu, scope, p, x);
    await runDispatches(gpu, 'mamba2Stepper.prep', [prep.dispatch]);
    const bufs = ssdBuffers(
      scope,
      p,
      p.Q,
      { X: prep.X, A: prep.Adt, B: x.B, C: x.C },
      null,
      traceBuffer(scope, 1),
    );
    const unis = Array.from({ length: nC }, (_, c) =>
      ssdUniform(scope, `params${c}`, p, p.Q, c, c + 1, false),
    );
    const gate = await mamba2GateDispatch(gpu, scope, p, x, bufs.Y, prep.xBuf);
    const yn = p.batch * p.T * p.H * p.P;
    return {
      backend: 'webgpu',
      nChunks: nC,
      steps,
      get k() {
        return k;
      },
      async step() {
        const { chunk, phase } = next();
        const [t0, t1] = bounds(chunk);
        const d = phaseDispatch(phase, kernels, tiles, p, p.Q, unis[chunk], bufs, chunk, chunk + 1);
        await runDispatches(gpu, `mamba2Stepper.phase${phase}`, [d]);
        if (phase === 2 || phase === 3) {
          const slot = phase === 2 ? chunk : chunk + 1;
          const data = await readSlice(gpu, scope, phase === 2 ? bufs.states : bufs.passed, slot * sn, sn);
          return { chunk, phase, t0, t1, data, shape: shapeState };
        }
        const yd = rows(await readF32(gpu, bufs.Ydiag, yn), p, t0, t1, Float32Array);
        if (phase === 1) return { chunk, phase, t0, t1, data: yd, shape: shapeRows(t0, t1) };
        const y = rows(await readF32(gpu, bufs.Y, yn), p, t0, t1, Float32Array);
        return { chunk, phase, t0, t1, data: y.map((v, i) => v - yd[i]), shape: shapeRows(t0, t1), y };
      },
      async output() {
        if (k < steps.length)
          throw new EngineError('mamba2Stepper', `output needs all ${steps.length} steps, ${k} done`);
        await runDispatches(gpu, 'mamba2Stepper.gate', [gate.dispatch]);
        return readF32(gpu, gate.out, yn);
      },
      reset() {
        k = 0;
      },
      dispose() {
        scope.release();
      },
    };
  } catch (err) {
    scope.release();
    throw err;
  }
}
