// What the family's tests check alike for the Elman RNN and the LSTM (imported by *.test.ts only): the
// layer chain's grid fold under a pretended limit, the dispatch layer against the whole run, a case's two steppers, a stepper's end, reset and disposal, the top layer's
// output at one time step of a whole run, bitwise equality, and the input projection's traced bytes.

import { assert, expect } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { type Dispatch, type DispatchRecord, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import type { TraceCapture } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { tracedAndNot } from '../../util/testing';
import type { Host, Program, RunResult, Stepper } from '../program';
import type { SequenceShape } from './common';
import type { SequenceBuffers, SequenceRun } from './layerChain';
import type { LstmInputs } from './lstm';
import { INPUT_PROJ_WG } from './rnnInputProj';

/**
 * A chain whose grids fold under a limit of 5 per dimension: 77 projection workgroups (gates·hidden <= 64,
 * one column tile per row) and 11 scan workgroups. The real limit (65,535) is crossed by the golden --grid
 * cases (elman_rnn_b70001); 70,001 scan workgroups take minutes on SwiftShader, so the fold is checked here.
 */
export const FOLD_CASE = { T: 7, b: 11, inSize: 3, hidden: 2, layers: 2, batchFirst: true } as const;

/** Runs FOLD_CASE on `small` (the device pretending a limit of 5) and on `gpu`; expects both grids and every output equal bit for bit. */
export async function expectChainFolds<P extends SequenceShape, X, O extends Record<string, Host>>(
  gpu: Gpu,
  small: Gpu,
  program: Program<P, X, O>,
  p: P,
  seed: number,
): Promise<{ flat: RunResult<O>; x: X }> {
  const x = program.makeInputs(p, seed);
  const folded = await program.run(small, p, x);
  const flat = await program.run(gpu, p, x);
  // 77 projection workgroups -> 5 × 4 × 4 (3 spare); 11 scan workgroups -> 4 × 3 × 1 (1 spare).
  expect(folded.dispatches.slice(0, 2).map((d) => d.workgroups)).toEqual([
    [5, 4, 4],
    [4, 3, 1],
  ]);
  expect(flat.dispatches.slice(0, 2).map((d) => d.workgroups)).toEqual([
    [77, 1, 1],
    [11, 1, 1],
  ]);
  for (const k of Object.keys(flat.outputs))
    expect(Array.from(folded.outputs[k]), k).toEqual(Array.from(flat.outputs[k]));
  return { flat, x };
}

/** x_t's top-layer h of every sample, (b, hidden), from a whole run's output (T, b, ·) or (b, T, ·). */
export function outputAt(p: SequenceShape, output: ArrayLike<number>, t: number): Float32Array {
  const { T, b, hidden: H } = p;
  const y = new Float32Array(b * H);
  for (let n = 0; n < b; n++)
    for (let j = 0; j < H; j++) y[n * H + j] = output[(p.batchFirst ? n * T + t : t * b + n) * H + j];
  return y;
}

/**
 * The dispatch layer (`upload` then `dispatch`, on a scope of the test's own) equals the whole run (`whole`)
 * bit for bit, in the output and every final state, and frees all it made with that scope.
 */
export async function expectDispatchLayer<P extends SequenceShape, X, S extends string, F extends string>(
  gpu: Gpu,
  p: P,
  x: X,
  parts: {
    upload: (scope: BufferScope, p: P, x: X) => SequenceBuffers<S, F>;
    dispatch: (gpu: Gpu, scope: BufferScope, p: P, buf: SequenceBuffers<S, F>) => Promise<Dispatch[]>;
    whole: (gpu: Gpu, p: P, x: X) => Promise<SequenceRun<F>>;
  },
): Promise<void> {
  const before = gpu.liveBuffers.size;
  const scope = new BufferScope(gpu, 'test.dispatchLayer');
  try {
    const buf = parts.upload(scope, p, x);
    await runDispatches(gpu, 'test.dispatchLayer', await parts.dispatch(gpu, scope, p, buf));
    const want = await parts.whole(gpu, p, x);
    const state = p.layers * p.b * p.hidden;
    sameBits(await readF32(gpu, buf.output, p.T * p.b * p.hidden), want.output, 'output');
    for (const [name, b] of Object.entries<GPUBuffer>(buf.final))
      sameBits(await readF32(gpu, b, state), want[name as F], name);
  } finally {
    scope.release();
  }
  expect(gpu.liveBuffers.size).toBe(before);
}

/** A case's GPU and CPU steppers (`create` on gpu, then on null), their backends and `count(p)` checked, and the live buffers before them. */
export async function bothSteppers<P, X, S>(
  gpu: Gpu,
  create: (g: Gpu | null, p: P, x: X) => Promise<Stepper<S>>,
  p: P,
  x: X,
  count: (p: P) => number,
): Promise<{ stepper: Stepper<S>; cpu: Stepper<S>; before: number }> {
  const before = gpu.liveBuffers.size;
  const stepper = await create(gpu, p, x);
  const cpu = await create(null, p, x);
  expect([stepper.backend, cpu.backend]).toEqual(['webgpu', 'cpu']);
  expect(stepper.count).toBe(count(p));
  return { stepper, cpu, before };
}

/** Past its last step each stepper refuses another; the GPU one resets to 0 and, disposed, frees all it made. */
export async function expectStepperEnd(
  gpu: Gpu,
  stepper: Stepper<unknown>,
  cpu: Stepper<unknown>,
  before: number,
): Promise<void> {
  const done = new RegExp(`all ${stepper.count} steps are done`);
  await expect(stepper.step()).rejects.toThrow(done);
  await expect(cpu.step()).rejects.toThrow(done);
  await stepper.reset();
  expect(stepper.k).toBe(0);
  stepper.dispose();
  expect(gpu.liveBuffers.size).toBe(before);
}

/** A new GPU stepper, reset after two steps, repeats its first step bit for bit in `keys`; disposed (twice), it refuses to step. */
export async function expectResetRepeats<S>(
  gpu: Gpu,
  create: () => Promise<Stepper<S>>,
  keys: ReadonlyArray<keyof S>,
): Promise<void> {
  const before = gpu.liveBuffers.size;
  const stepper = await create();
  const first = await stepper.step();
  await stepper.step();
  await stepper.reset();
  const again = await stepper.step();
  for (const k of keys)
    expect(Array.from(again[k] as ArrayLike<number>), String(k)).toEqual(
      Array.from(first[k] as ArrayLike<number>),
    );
  stepper.dispose();
  stepper.dispose();
  await expect(stepper.step()).rejects.toThrow(/disposed/);
  expect(gpu.liveBuffers.size).toBe(before);
}

/** Bitwise equality of two float32 results (tracing must change no bit). */
export const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>, what?: string) =>
  expect(
    Buffer.from(Float32Array.from(a).buffer).equals(Buffer.from(Float32Array.from(b).buffer)),
    what,
  ).toBe(true);

/**
 * Traced bytes of every layer's input projection (rnnInputProj.wgsl, width gates·hidden): each column tile
 * of INPUT_PROJ_WG loads its whole input row, reads W_ihᵀ's columns and the biases, and writes P.
 */
export function projectionBytes(p: SequenceShape, gates: number): Record<string, number> {
  const { T, b, inSize, hidden, layers } = p;
  const rows = T * b;
  const R = gates * hidden;
  const tiles = Math.ceil(R / INPUT_PROJ_WG);
  const ins = inSize + (layers - 1) * hidden; // input widths of all layers
  return {
    'load:x': 4 * rows * ins * tiles,
    'read:WihT': 4 * rows * R * ins,
    'read:bih': 4 * rows * R * layers,
    'read:bhh': 4 * rows * R * layers,
    'write:P': 4 * rows * R * layers,
  };
}

/** LSTM inputs with every optional one left out: no h0, no c0, no biases. */
export function withoutOptionals(x: LstmInputs): LstmInputs {
  return { ...x, h0: null, c0: null, weights: x.weights.map((w) => ({ ...w, bih: null, bhh: null })) };
}

/** The chain whose records the Elman RNN and LSTM tests read: 3 layers, T·b = 15 rows, hidden 70. */
export const CHAIN_CASE = { T: 5, b: 3, inSize: 4, hidden: 70, layers: 3 } as const;

/**
 * A CHAIN_CASE run's records: per layer a projection (`gates`·70 columns) then a scan, in order, with their
 * grids, sources and named bindings. Returns the bytes bound under a name by dispatch i.
 */
export function expectLayerChain(
  dispatches: DispatchRecord[],
  label: string,
  gates: number,
  scanBindings: string[],
): (i: number, name: string) => number | undefined {
  const width = gates * CHAIN_CASE.hidden;
  expect(dispatches.map((d) => d.label)).toEqual(
    Array.from({ length: 3 }, () => [`${label}.inputProj`, `${label}.scan`]).flat(),
  );
  // Projection: ceil(width / 64) column tiles per row, T·b = 15 rows; scan: one workgroup per batch row.
  expect(dispatches[0].workgroups).toEqual([Math.ceil(width / 64) * 15, 1, 1]);
  expect(dispatches[1].workgroups).toEqual([3, 1, 1]);
  expect(dispatches[1].constants.WG).toBe(96); // whole warps covering hidden = 70
  expect(dispatches[0].sources).toContain('rnn/rnnInputProj.wgsl');
  expect(dispatches[1].sources).toContain(`rnn/${label}.wgsl`);
  const names = (i: number) => dispatches[i].bindings.map((b) => b.name);
  expect(names(0)).toEqual(['p', 'x', 'WihT', 'bih', 'bhh', 'P', 'trace']);
  expect(names(1)).toEqual(scanBindings);
  const bytes = (i: number, name: string) => dispatches[i].bindings.find((b) => b.name === name)?.bytes;
  expect(bytes(0, 'WihT')).toBe(4 * 4 * width); // layer 0: (in, width)
  expect(bytes(2, 'WihT')).toBe(4 * 70 * width); // layer 1: (hidden, width)
  expect(bytes(5, 'out')).toBe(Math.ceil((4 * 15 * 70) / 16) * 16); // the top layer writes the output
  return bytes;
}

/** A traced run of `program`: bit-identical to tracing off, its output within 1e-4 of the reference, no record dropped. */
export async function tracedChain<
  P extends SequenceShape,
  X,
  O extends Record<string, Host> & { output: Host },
>(gpu: Gpu, program: Program<P, X, O>, p: P, seed: number): Promise<{ x: X; t: TraceCapture }> {
  const x = program.makeInputs(p, seed);
  const { on } = await tracedAndNot((o) => program.run(gpu, p, x, o));
  expect(relCheck(on.outputs.output, program.reference(p, x).output, 1e-4).ok).toBe(true);
  const t = on.trace;
  assert(t, 'a traced run returns its trace');
  expect(t.dropped).toBe(0);
  return { x, t };
}
