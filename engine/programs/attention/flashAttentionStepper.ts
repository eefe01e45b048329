// flashAttentionStepper: FlashAttention-2 one K/V tile at a time for one chosen Q tile, reading back
// the running m, l and unnormalised O after every step, so the stage can animate tiles moving from
// HBM to SRAM with live values. Meant for small problems (sq, sk up to a few hundred); no trace.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Kernel, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { visibleKvTiles } from '../../reference/attention';
import { traceBuffer } from '../../trace/events';
import { type AttentionInputs, flashPrelude, flashWorkgroupSize, validateAttention } from './common';
import { type FlashAttentionParams, flashTilesFor } from './flashAttention';

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

export class FlashAttentionStepper {
  /** K/V tiles this Q tile visits (causal tiles above the diagonal are skipped). */
  readonly tiles: number;
  readonly Br: number;
  readonly Bc: number;
  private next = 0;
  private constructor(
    private readonly gpu: Gpu,
    private readonly scope: BufferScope,
    private readonly k: Kernel,
    private readonly fields: Array<['u32' | 'f32', number]>,
    private readonly bufs: {
      q: GPUBuffer;
      k: GPUBuffer;
      v: GPUBuffer;
      ml: GPUBuffer;
      o: GPUBuffer;
      P: GPUBuffer;
      trace: GPUBuffer;
    },
    private readonly p: FlashAttentionParams,
    readonly r0: number,
    readonly rows: number,
    tiles: { Br: number; Bc: number; count: number },
  ) {
    this.Br = tiles.Br;
    this.Bc = tiles.Bc;
    this.tiles = tiles.count;
  }

  static async create(
    gpu: Gpu,
    p: FlashAttentionParams,
    x: AttentionInputs,
    sel: StepSelection,
  ): Promise<FlashAttentionStepper> {
    const scale = validateAttention('flashAttentionStepper', p, x);
    const { Br, Bc } = flashTilesFor(gpu, p);
    const Tr = Math.ceil(p.sq / Br);
    const ok = (v: number, n: number) => Number.isInteger(v) && v >= 0 && v < n;
    if (!ok(sel.b, p.b) || !ok(sel.head, p.h) || !ok(sel.qTile, Tr)) {
      throw new EngineError(
        'flashAttentionStepper',
        `selection b=${sel.b}, head=${sel.head}, qTile=${sel.qTile} is outside b<${p.b}, h<${p.h}, tiles<${Tr}`,
      );
    }
    const wg = flashWorkgroupSize(Br, p.d);
    const k = await kernel(gpu, {
      label: 'flashAttentionStepper.step',
      sources: ['common/trace.wgsl', 'attention/flashTile.wgsl', 'attention/flashAttentionStep.wgsl'],
      prelude: flashPrelude(Br, Bc, p.d, wg),
    });
    const scope = new BufferScope(gpu, 'flashAttentionStepper');
    try {
      const bufs = {
        q: scope.upload('q', x.q),
        k: scope.upload('k', x.k),
        v: scope.upload('v', x.v),
        ml: scope.storage('ml', Br * 2 * 4),
        o: scope.storage('oAcc', Br * p.d * 4),
        P: scope.storage('pTile', Br * Bc * 4),
        trace: traceBuffer(scope, 1),
      };
      const fields: Array<['u32' | 'f32', number]> = [
        ['u32', p.b],
        ['u32', p.sq],
        ['u32', p.sk],
        ['u32', p.h],
        ['u32', p.hk],
        ['u32', p.causal ? 1 : 0],
        ['f32', scale],
        ['f32', Number.POSITIVE_INFINITY],
        ['u32', sel.b],
        ['u32', sel.head],
        ['u32', sel.qTile],
      ];
      const r0 = sel.qTile * Br;
      const rows = Math.min(Br, p.sq - r0);
      const count = visibleKvTiles(r0 + rows - 1, p.sq, p.sk, Bc, p.causal);
      return new FlashAttentionStepper(gpu, scope, k, fields, bufs, p, r0, rows, { Br, Bc, count });
    } catch (err) {
      scope.release();
      throw err;
    }
  }

  /** Steps taken so far. */
  get done(): number {
    return this.next;
  }

  /** Folds in the next K/V tile and returns the live state, or null when every tile is done. */
  async step(): Promise<FlashStepState | null> {
    if (this.next >= this.tiles) return null;
    const t = this.next;
    const { d } = this.p;
    const params = this.scope.uniform(`params.${t}`, [...this.fields, ['u32', t], ['u32', t === 0 ? 1 : 0]]);
    const b = this.bufs;
    await runDispatches(this.gpu, 'flashAttentionStepper', [
      { kernel: this.k, bindings: [params, b.q, b.k, b.v, b.ml, b.o, b.P, b.trace], workgroups: [1] },
    ]);
    this.next++;
    const ml = await readF32(this.gpu, b.ml, this.Br * 2);
    const Ofull = await readF32(this.gpu, b.o, this.Br * d);
    const Pfull = await readF32(this.gpu, b.P, this.Br * this.Bc);
    const c0 = t * this.Bc;
    const cols = Math.min(this.Bc, this.p.sk - c0);
    const m = new Float32Array(this.rows);
    const l = new Float32Array(this.rows);
    const P = new Float32Array(this.rows * cols);
    for (let r = 0; r < this.rows; r++) {
      m[r] = ml[2 * r] <= -1.5e38 ? Number.NEGATIVE_INFINITY : ml[2 * r];
      l[r] = ml[2 * r + 1];
      for (let j = 0; j < cols; j++) P[r * cols + j] = Pfull[r * this.Bc + j];
    }
    return { t, c0, cols, r0: this.r0, rows: this.rows, m, l, O: Ofull.slice(0, this.rows * d), P };
  }

  /** Frees the stepper's buffers; call in a finally block. */
  dispose(): void {
    this.scope.release();
  }
}

/** Every step for one Q tile, in order (the stage's whole animation in one call). */
export async function flashAttentionSteps(
  gpu: Gpu,
  p: FlashAttentionParams,
  x: AttentionInputs,
  sel: StepSelection,
): Promise<FlashStepState[]> {
  const stepper = await FlashAttentionStepper.create(gpu, p, x, sel);
  try {
    const out: FlashStepState[] = [];
    for (let s = await stepper.step(); s; s = await stepper.step()) out.push(s);
    return out;
  } finally {
    stepper.dispose();
  }
}
