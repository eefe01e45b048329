// The RNN family's helpers: weight shapes and checks, the transposed weight upload the sequence kernels
// read, and the placeholder bound where a bias is absent. Shared by the cell step, the stepper, the Elman
// RNN and (next) the LSTM, whose weights have 4·hidden rows instead of hidden.

import { EngineError } from '../../gpu/errors';
import type { BufferScope } from '../../gpu/tensor';
import type { Rng } from '../../util/rng';

/** One layer's weights as torch stores them; `rows` is hidden for Elman (4·hidden for an LSTM). */
export interface RnnWeights {
  Wih: Float32Array; // (rows, in)
  Whh: Float32Array; // (rows, hidden)
  bih: Float32Array | null; // (rows,)
  bhh: Float32Array | null; // (rows,)
}

/** One layer's weights on the device, as the sequence kernels read them (transposed, coalesced loads). */
export interface LayerBuffers {
  WihT: GPUBuffer; // (in, rows) W_ihᵀ
  WhhT: GPUBuffer; // (hidden, rows) W_hhᵀ
  bih: GPUBuffer | null; // (rows,)
  bhh: GPUBuffer | null; // (rows,)
}

/** Every named size is a positive integer, or an EngineError naming the first that is not. */
export function checkSizes(label: string, sizes: Readonly<Record<string, number>>): void {
  for (const [name, v] of Object.entries(sizes))
    if (!Number.isInteger(v) || v < 1)
      throw new EngineError(label, `${name} must be a positive integer, got ${v}`);
}

/** Checks layer `layer`'s weights against (rows, in) and (rows, hidden); rows defaults to hidden. */
export function checkWeights(
  label: string,
  w: RnnWeights,
  inSize: number,
  hidden: number,
  layer = 0,
  rows = hidden,
): void {
  const bad = (name: string, got: number, want: number) =>
    new EngineError(
      label,
      `${name}_l${layer} has ${got} values, want ${want} (hidden=${hidden}, in=${inSize})`,
    );
  if (w.Wih.length !== rows * inSize) throw bad('W_ih', w.Wih.length, rows * inSize);
  if (w.Whh.length !== rows * hidden) throw bad('W_hh', w.Whh.length, rows * hidden);
  if (w.bih && w.bih.length !== rows) throw bad('b_ih', w.bih.length, rows);
  if (w.bhh && w.bhh.length !== rows) throw bad('b_hh', w.bhh.length, rows);
}

/** (rows, cols) -> (cols, rows): the sequence kernels read weights transposed so their loads coalesce. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/** Uploads every layer's weights transposed; layer 0 reads `inSize` inputs, the others `hidden`. */
export function uploadLayers(
  scope: BufferScope,
  weights: readonly RnnWeights[],
  dims: { inSize: number; hidden: number; rows: number },
): LayerBuffers[] {
  const { hidden, rows } = dims;
  return weights.map((w, l) => ({
    WihT: scope.upload(`WihT${l}`, transpose(w.Wih, rows, l === 0 ? dims.inSize : hidden)),
    WhhT: scope.upload(`WhhT${l}`, transpose(w.Whh, rows, hidden)),
    bih: w.bih ? scope.upload(`bih${l}`, w.bih) : null,
    bhh: w.bhh ? scope.upload(`bhh${l}`, w.bhh) : null,
  }));
}

/** The buffers to bind as (bih, bhh): a 4-byte placeholder (made once, in `scope`) for an absent one. */
export function biasBindings(
  scope: BufferScope,
  bih: GPUBuffer | null,
  bhh: GPUBuffer | null,
): { bih: GPUBuffer; bhh: GPUBuffer } {
  const none = bih && bhh ? null : scope.storage('noBias', 4);
  return { bih: bih ?? (none as GPUBuffer), bhh: bhh ?? (none as GPUBuffer) };
}

/** torch's default init for one layer: U(−s, s) with s = 1/√hidden. */
export function initLayer(rng: Rng, rows: number, inSize: number, hidden: number): RnnWeights {
  const s = 1 / Math.sqrt(hidden);
  return {
    Wih: rng.uniforms(rows * inSize, -s, s),
    Whh: rng.uniforms(rows * hidden, -s, s),
    bih: rng.uniforms(rows, -s, s),
    bhh: rng.uniforms(rows, -s, s),
  };
}
