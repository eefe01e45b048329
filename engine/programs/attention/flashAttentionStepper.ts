// flashAttentionStepper: FlashAttention-2 one K/V tile at a time for one chosen Q tile, reading back
// the running m, l and unnormalised O after every step, so the stage can animate tiles moving from
// HBM to SRAM with live values. On the GPU one dispatch of the step kernel per tile, the state kept in
// storage between steps; on the CPU the same online softmax in float64. Meant for small problems (sq,
// sk up to a few hundred); no trace.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { isVisible, kIndex, qIndex, visibleKvTiles } from '../../reference/attention';
import { traceBuffer } from '../../trace/events';
import {
  type AttentionInputs,
  WG_MEMORY_BUDGET,
  attentionUniformValues,
  chooseFlashTiles,
  flashTileKernel,
  validateAttention,
} from './common';
import type { FlashAttentionParams } from './flashAttention';
import { makeStepper, type Stepper } from '../program';

/** Which Q tile to follow: batch, query head and tile index (rows [qTile·Br, qTile·Br + Br)). */
export interface StepSelection {
  b: number;
  head: number;
  qTile: number;
}

/** The live state after K/V tile t has been folded in. Rows beyond sq are left out. */
export interface FlashStepState {
  /** K/V tile index of this step; keys [c0, c0 + cols). */
  t: number;
  c0: number;
  cols: number;
  /** Query rows [r0, r0 + rows) of the chosen Q tile. */
  r0: number;
  rows: number;
  /** Running max per row (−Infinity while a row has seen no visible key). */
  m: Float32Array; // (rows,)
  /** Running sum per row. */
  l: Float32Array; // (rows,)
  /** Unnormalised output Σ exp(s − m)·v. */
  O: Float32Array; // (rows, d)
  /** P of this tile, exp(s − m) (0 where masked). */
  P: Float32Array; // (rows, cols)
}

/** Where the chosen Q tile sits and how many K/V tiles it visits. */
export interface FlashStepPlan {
  Br: number;
  Bc: number;
  /** Query rows [r0, r0 + rows). */
  r0: number;
  rows: number;
  /** Steps in all: the K/V tiles this Q tile visits (causal tiles above the diagonal are skipped). */
  count: number;
}

const LABEL = 'flashAttentionStepper';

/** The tiles (as the GPU shrinks them to `budget` bytes) and the steps of one Q tile; checks the selection. */
export function flashStepPlan(
  p: FlashAttentionParams,
  sel: StepSelection,
  budget = WG_MEMORY_BUDGET,
): FlashStepPlan {
  const { Br, Bc } = chooseFlashTiles(LABEL, p.d, p.Br, p.Bc, budget);
  const Tr = Math.ceil(p.sq / Br);
  const ok = (v: number, n: number) => Number.isInteger(v) && v >= 0 && v < n;
  if (!ok(sel.b, p.b) || !ok(sel.head, p.h) || !ok(sel.qTile, Tr)) {
    throw new EngineError(
      LABEL,
      `selection b=${sel.b}, head=${sel.head}, qTile=${sel.qTile} is outside b<${p.b}, h<${p.h}, tiles<${Tr}`,
    );
  }
  const r0 = sel.qTile * Br;
  const rows = Math.min(Br, p.sq - r0);
  return { Br, Bc, r0, rows, count: visibleKvTiles(r0 + rows - 1, p.sq, p.sk, Bc, p.causal) };
}

/** Steps in all: the number of K/V tiles the chosen Q tile visits. */
export const flashAttentionStepCount = (p: FlashAttentionParams, sel: StepSelection, budget?: number) =>
  flashStepPlan(p, sel, budget).count;

export type FlashAttentionStepper = Stepper<FlashStepState> & { readonly plan: FlashStepPlan };

/** gpu null -> the float64 CPU stepper; otherwise one dispatch of the step kernel per K/V tile. */
export async function createFlashAttentionStepper(
  gpu: Gpu | null,
  p: FlashAttentionParams,
  x: AttentionInputs,
  sel: StepSelection,
): Promise<FlashAttentionStepper> {
  const scale = validateAttention(LABEL, p, x);
  // The portable budget on every backend: the stepped tiles are what the stage draws, GPU or CPU alike.
  const plan = flashStepPlan(p, sel, WG_MEMORY_BUDGET);
  const stepper = gpu ? await gpuStepper(gpu, p, x, sel, plan, scale) : cpuStepper(p, x, sel, plan, scale);
  return Object.assign(stepper, { plan });
}

async function gpuStepper(
  gpu: Gpu,
  p: FlashAttentionParams,
  x: AttentionInputs,
  sel: StepSelection,
  plan: FlashStepPlan,
  scale: number,
): Promise<Stepper<FlashStepState>> {
  const { Br, Bc, r0, rows } = plan;
  const k = await flashTileKernel(gpu, `${LABEL}.step`, ['flashTile.wgsl', 'flashAttentionStep.wgsl'], p.d, {
    Br,
    Bc,
  });
  const scope = new BufferScope(gpu, LABEL);
  try {
    const b = {
      q: scope.upload('q', x.q), // (b, sq, h, d)
      k: scope.upload('k', x.k), // (b, sk, h_k, d)
      v: scope.upload('v', x.v), // (b, sk, h_k, d)
      ml: scope.storage('ml', Br * 2 * 4), // (Br, 2) m, l
      oAcc: scope.storage('oAcc', Br * p.d * 4), // (Br, d) unnormalised O
      pTile: scope.storage('pTile', Br * Bc * 4), // (Br, Bc) P of the step
      trace: traceBuffer(scope, 1),
    };
    const at = { bi: sel.b, hh: sel.head, i0: r0 };
    const params = uniformFor(scope, k, attentionUniformValues(p, scale, { ...at, t: 0, first: 1 }));
    const dispatch = { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: [1] as const };
    return makeStepper(`${LABEL}.step`, {
      backend: 'webgpu',
      count: plan.count,
      async advance(t) {
        params.set({ t, first: t === 0 ? 1 : 0 });
        await runDispatches(gpu, LABEL, [dispatch]);
        const ml = await readF32(gpu, b.ml, Br * 2);
        const O = await readF32(gpu, b.oAcc, rows * p.d);
        const P = await readF32(gpu, b.pTile, Br * Bc);
        return stateOf(
          p,
          plan,
          t,
          (r) => ml[2 * r],
          (r) => ml[2 * r + 1],
          O,
          (r, j) => P[r * Bc + j],
        );
      },
      free: () => scope.release(),
    });
  } catch (err) {
    scope.release();
    throw err;
  }
}

/** The state after tile t, rows beyond sq left out; m below −1.5e38 (the kernel's −inf) becomes −Infinity. */
function stateOf(
  p: FlashAttentionParams,
  plan: FlashStepPlan,
  t: number,
  mAt: (r: number) => number,
  lAt: (r: number) => number,
  O: ArrayLike<number>,
  pAt: (r: number, j: number) => number,
): FlashStepState {
  const { Bc, r0, rows } = plan;
  const c0 = t * Bc;
  const cols = Math.min(Bc, p.sk - c0);
  const m = new Float32Array(rows);
  const l = new Float32Array(rows);
  const P = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    m[r] = mAt(r) <= -1.5e38 ? Number.NEGATIVE_INFINITY : mAt(r);
    l[r] = lAt(r);
    for (let j = 0; j < cols; j++) P[r * cols + j] = pAt(r, j);
  }
  return { t, c0, cols, r0, rows, m, l, O: Float32Array.from({ length: rows * p.d }, (_, i) => O[i]), P };
}

/** The same steps in float64: scores of tile t, online softmax, O ← alpha·O + P V. */
function cpuStepper(
  p: FlashAttentionParams,
  x: AttentionInputs,
  sel: StepSelection,
  plan: FlashStepPlan,
  scale: number,
): Stepper<FlashStepState> {
  const { Bc, r0, rows } = plan;
  const { d } = p;
  const kh = Math.floor(sel.head / (p.h / p.hk));
  let m = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
  let l = new Float64Array(rows);
  let O = new Float64Array(rows * d);
  return makeStepper(`${LABEL}.step`, {
    backend: 'cpu',
    count: plan.count,
    advance(t) {
      const c0 = t * Bc;
      const cols = Math.min(Bc, p.sk - c0);
      const P = new Float64Array(rows * Bc);
      for (let r = 0; r < rows; r++) {
        const i = r0 + r;
        const qo = qIndex(p, sel.b, i, sel.head);
        const s = new Float64Array(cols).fill(Number.NEGATIVE_INFINITY);
        for (let jj = 0; jj < cols; jj++) {
          if (!isVisible(i, c0 + jj, p.sq, p.sk, p.causal)) continue;
          const ko = kIndex(p, sel.b, c0 + jj, kh);
          let dot = 0;
          for (let c = 0; c < d; c++) dot += x.q[qo + c] * x.k[ko + c];
          s[jj] = scale * dot;
        }
        const mNew = Math.max(m[r], ...s);
        const mUse = mNew === Number.NEGATIVE_INFINITY ? 0 : mNew;
        const alpha = Math.exp(m[r] - mUse);
        let sum = 0;
        for (let jj = 0; jj < cols; jj++) {
          P[r * Bc + jj] = Math.exp(s[jj] - mUse);
          sum += P[r * Bc + jj];
        }
        m[r] = mNew;
        l[r] = alpha * l[r] + sum;
        for (let c = 0; c < d; c++) {
          let pv = 0;
          for (let jj = 0; jj < cols; jj++) pv += P[r * Bc + jj] * x.v[kIndex(p, sel.b, c0 + jj, kh) + c];
          O[r * d + c] = alpha * O[r * d + c] + pv;
        }
      }
      return stateOf(
        p,
        plan,
        t,
        (r) => m[r],
        (r) => l[r],
        O,
        (r, j) => P[r * Bc + j],
      );
    },
    reset() {
      m = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
      l = new Float64Array(rows);
      O = new Float64Array(rows * d);
    },
  });
}

/** Every step for one Q tile, in order (the stage's whole animation in one call). */
export async function flashAttentionSteps(
  gpu: Gpu | null,
  p: FlashAttentionParams,
  x: AttentionInputs,
  sel: StepSelection,
): Promise<FlashStepState[]> {
  const stepper = await createFlashAttentionStepper(gpu, p, x, sel);
  try {
    const out: FlashStepState[] = [];
    while (stepper.k < stepper.count) out.push(await stepper.step());
    return out;
  } finally {
    stepper.dispose();
  }
}
