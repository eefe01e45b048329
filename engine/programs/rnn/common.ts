// The RNN family's helpers: sizes, weight shapes and checks, the transposed weight upload the sequence
// kernels read, the placeholder bound where a bias is absent, where a stepper finds x_t, and the one-trip
// readback of several buffers. Shared by the cell steps, the steppers, the Elman RNN and the LSTM, whose
// weights have 4·hidden rows instead of hidden.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type Uniform, uniformFor } from '../../gpu/uniforms';
import type { Rng } from '../../util/rng';

/** The sizes of a multi-layer sequence run (Elman RNN or LSTM). */
export interface SequenceShape {
  T: number;
  b: number;
  inSize: number;
  hidden: number;
  layers: number;
  batchFirst?: boolean;
}

/** h (and an LSTM's c) live in workgroup memory during a scan: hidden f32 values. */
export const MAX_HIDDEN = 4000;

/** Input width of layer l: in for layer 0, hidden above it. */
export const layerIn = (p: Pick<SequenceShape, 'inSize' | 'hidden'>, l: number): number =>
  l === 0 ? p.inSize : p.hidden;

/** Scan workgroup: whole warps of 32 up to 256, no wider than hidden needs (each lane owns NJ units). */
export const scanWg = (hidden: number): number => Math.min(256, 32 * Math.ceil(hidden / 32));

/** Every size a positive integer and hidden within what a scan holds in workgroup memory. */
export function checkSequenceShape(label: string, p: SequenceShape): void {
  const { T, b, inSize, hidden, layers } = p;
  checkSizes(label, { T, b, inSize, hidden, layers });
  if (hidden > MAX_HIDDEN) throw new EngineError(label, `hidden = ${hidden} exceeds ${MAX_HIDDEN}`);
}

/**
 * x (T·b·in values), each given initial state (layers·b·hidden values, e.g. h0, c0) and every layer's
 * weights of `rows` = gates·hidden rows, or an EngineError that names what is wrong.
 */
export function checkSequenceInputs(
  label: string,
  p: SequenceShape,
  x: Float32Array,
  states: Readonly<Record<string, Float32Array | null>>,
  weights: readonly RnnWeights[],
  rows: number,
): void {
  checkSequenceShape(label, p);
  if (x.length !== p.T * p.b * p.inSize)
    throw new EngineError(label, `x has ${x.length} values, want T·b·in = ${p.T * p.b * p.inSize}`);
  for (const [name, s] of Object.entries(states))
    if (s && s.length !== p.layers * p.b * p.hidden)
      throw new EngineError(
        label,
        `${name} has ${s.length} values, want layers·b·hidden = ${p.layers * p.b * p.hidden}`,
      );
  if (weights.length !== p.layers)
    throw new EngineError(label, `${weights.length} layers of weights, want ${p.layers}`);
  weights.forEach((w, l) => {
    checkWeights(label, w, layerIn(p, l), p.hidden, l, rows);
  });
}

/** Where x_t of sample n starts in a (T, b, in) or (b, T, in) x: x[xOff + n·xStride]. */
export function stepInputAt(p: Omit<SequenceShape, 'hidden' | 'layers'>, t: number) {
  return p.batchFirst
    ? { xOff: t * p.inSize, xStride: p.T * p.inSize }
    : { xOff: t * p.b * p.inSize, xStride: p.inSize };
}

/** x_t of every sample as a (b, in) float64 array (what a CPU stepper feeds layer 0). */
export function stepInput(
  p: Omit<SequenceShape, 'hidden' | 'layers'>,
  x: ArrayLike<number>,
  t: number,
): Float64Array {
  const { xOff, xStride } = stepInputAt(p, t);
  return Float64Array.from(
    { length: p.b * p.inSize },
    (_, e) => x[xOff + Math.floor(e / p.inSize) * xStride + (e % p.inSize)],
  );
}

/** Copies the first `n` floats of each buffer into one staging buffer: one round trip for them all. */
export async function readStacked(
  gpu: Gpu,
  label: string,
  parts: ReadonlyArray<{ buf: GPUBuffer; n: number }>,
): Promise<Float32Array> {
  const total = parts.reduce((s, q) => s + q.n, 0);
  const staging = gpu.device.createBuffer({
    label: `${label}.readback`,
    size: total * 4,
    usage: 0x1 | 0x8, // MAP_READ | COPY_DST
  });
  try {
    const enc = gpu.device.createCommandEncoder({ label: `${label}.readback` });
    let at = 0;
    for (const { buf, n } of parts) {
      enc.copyBufferToBuffer(buf, 0, staging, at * 4, n * 4);
      at += n;
    }
    gpu.device.queue.submit([enc.finish()]);
    await staging.mapAsync(1);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}

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

/** Where a cell step (rnnStep.wgsl, lstmStep.wgsl) reads: x_n starts at x[xOff + n·xStride]. */
export interface CellStepDims {
  b: number;
  inSize: number;
  hidden: number;
  xOff: number;
  xStride: number;
}

/** Workgroup width of the cell steps (rnnStep.wgsl, lstmStep.wgsl). */
export const CELL_WG = 64;

/** A cell step's kernel, shaders/rnn/<name>.wgsl: one invocation per (n, j), CELL_WG wide. */
export function cellStepKernel(gpu: Gpu, name: string, constants: Record<string, number> = {}) {
  return kernel(gpu, {
    label: `${name}.cell`,
    sources: ['common/grid.wgsl', 'rnn/rnnCommon.wgsl', 'rnn/cellStep.wgsl', `rnn/${name}.wgsl`],
    constants: { WG: CELL_WG, ...constants },
  });
}

/**
 * A cell-step dispatch on given buffers (bound by WGSL name), one invocation per (n, j) over a folded
 * grid of CELL_WG-wide workgroups; `params.set({xOff})` moves it to another time step.
 */
export function cellStepDispatch<B extends { bih: GPUBuffer | null; bhh: GPUBuffer | null }>(
  k: Kernel,
  scope: BufferScope,
  dims: CellStepDims,
  buf: B,
): Dispatch & { params: Uniform } {
  const grid = gridForInvocations(scope.gpu, k.label, dims.b * dims.hidden, CELL_WG);
  const { b, inSize, hidden, xOff, xStride } = dims;
  const params = uniformFor(scope, k, {
    b,
    inSize,
    hidden,
    xOff,
    xStride,
    hasBih: buf.bih ? 1 : 0,
    hasBhh: buf.bhh ? 1 : 0,
  });
  return {
    kernel: k,
    bindings: { p: params.buffer, ...buf, ...biasBindings(scope, buf.bih, buf.bhh) } as Record<
      string,
      GPUBuffer
    >,
    workgroups: grid.workgroups,
    params,
  };
}

/** Every layer's weights as torch stores them, untransposed: the cell steps read whole rows. */
export function uploadCellWeights(scope: BufferScope, weights: readonly RnnWeights[]) {
  return weights.map((w, l) => ({
    Wih: scope.upload(`Wih${l}`, w.Wih),
    Whh: scope.upload(`Whh${l}`, w.Whh),
    bih: w.bih ? scope.upload(`bih${l}`, w.bih) : null,
    bhh: w.bhh ? scope.upload(`bhh${l}`, w.bhh) : null,
  }));
}

/** Where layer l's cell step reads: x_0 in place for layer 0 (a step moves xOff), the layer below's h above. */
export function cellStepDims(p: SequenceShape, l: number): CellStepDims {
  const { b, hidden } = p;
  return l === 0
    ? { b, inSize: p.inSize, hidden, ...stepInputAt(p, 0) }
    : { b, inSize: hidden, hidden, xOff: 0, xStride: hidden };
}
