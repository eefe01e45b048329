// The SSD family's shared pieces: the trace table, the tile sizes, the buffers, the SsdParams uniform, and
// the four chunked-SSD phase kernels (diagonal blocks, chunk states, state passing, state to output) with
// their dispatch builders on buffers they are given, used by the chunked, quadratic, Mamba-2 and step-mode
// programs. Also the elementwise kernels' entry (shaders/ssd/perElement.wgsl). Tile sizes are chosen from
// the problem size and passed to WGSL as a prelude (they are array lengths). Every grid goes through
// gridFor: the kernels read one linear workgroup id (shaders/ssd/perWorkgroup.wgsl) and skip the overshoot.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import { type BufferScope, createStorage, dispose, readback } from '../../gpu/tensor';
import { type Uniform, type UniformValues, uniformFor } from '../../gpu/uniforms';
import type { SsdDims } from '../../reference/ssd';
import { traceTable } from '../../trace/tensors';

/**
 * What the SSD kernels' trace records point at. load/store/read/write carry aux = chunk index and offset =
 * first element of the region; chunkPhase records carry offset = chunk, aux = PHASE_* (the phase's index
 * here, i.e. step − 1 of SsdPhase) and count = rows (phases 1, 4), chunk length (2) or state elements (3).
 * Workgroup ids are linear within each phase's dispatch and offset by the workgroups of the phases before
 * it (ssdPhaseDispatches), so they are unique over a run and a timeline follows one workgroup of one phase.
 */
export const SSD_TRACE = traceTable(
  ['X', 'A', 'B', 'C', 'Ydiag', 'states', 'passed', 'Y', 'init', 'Acum'],
  ['diagonal block output', 'chunk state', 'passed state', 'output contribution'],
);

/** The four steps of the chunked algorithm, in the paper's order. */
export type SsdPhase = 1 | 2 | 3 | 4;
export const SSD_PHASES: readonly SsdPhase[] = [1, 2, 3, 4];

/** Each step's name: the phase a timeline gives its chunkPhase frames. */
export const SSD_PHASE_NAMES: Readonly<Record<SsdPhase, string>> = {
  1: SSD_TRACE.phases[0],
  2: SSD_TRACE.phases[1],
  3: SSD_TRACE.phases[2],
  4: SSD_TRACE.phases[3],
};

export interface SsdTiles {
  diag: { TT: number; PT: number; NB: number; WG: number };
  state: { TS: number; PT: number; NT: number; WG: number };
  out: { TT: number; PT: number; NB: number; WG: number };
  pass: { WG: number };
}

const pow2 = (v: number) => 2 ** Math.ceil(Math.log2(Math.max(1, v)));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const cdiv = (a: number, b: number) => Math.ceil(a / b);

/**
 * Tiles for these sizes and chunk Q (32-row diagonal tiles once chunks reach 64). Workgroup memory (f32):
 * diag max(TT·(2·NB+1), TT·PT) + TT² + 2·TT ≤ 3200 (12.8 KB); state TS·PT + TS·NT + TS ≤ 1552
 * (6.2 KB); out TT·NB + PT·(NB+1) + TT ≤ 1632 (6.5 KB). All within the portable 16 KiB.
 */
export function ssdTiles(d: Pick<SsdDims, 'P' | 'N'>, Q: number): SsdTiles {
  const PT = clamp(pow2(d.P), 8, 64);
  const big = Q >= 64;
  const NT = clamp(pow2(d.N), 8, 64);
  const rgState = 128 / NT;
  return {
    diag: big ? { TT: 32, PT, NB: 32, WG: 256 } : { TT: 16, PT, NB: 32, WG: 128 },
    state: { TS: 16, PT: clamp(pow2(d.P), rgState, 32), NT, WG: 128 },
    out: big ? { TT: 32, PT, NB: 16, WG: 256 } : { TT: 16, PT, NB: 16, WG: 128 },
    pass: { WG: 64 },
  };
}

/** `const K: u32 = v;` lines for sizes that must be array lengths. */
export const prelude = (c: Record<string, number>) =>
  `${Object.entries(c)
    .map(([k, v]) => `const ${k}: u32 = ${v}u;`)
    .join('\n')}\n`;

export interface SsdBuffers {
  X: GPUBuffer; // (batch, T, H, P)
  A: GPUBuffer; // (batch, T, H)
  B: GPUBuffer; // (batch, T, G, N)
  C: GPUBuffer; // (batch, T, G, N)
  init: GPUBuffer; // (batch, H, P, N) or a placeholder
  Ydiag: GPUBuffer; // (batch, T, H, P)
  Acum: GPUBuffer; // (batch, T, H) Σ_{k=chunk start..t} A_k, from phase 1
  states: GPUBuffer; // (nC, batch, H, P, N)
  passed: GPUBuffer; // (nC + 1, batch, H, P, N)
  Y: GPUBuffer; // (batch, T, H, P)
  trace: GPUBuffer;
}

export const nChunks = (T: number, Q: number) => Math.ceil(T / Q);

/** Allocates the SSD buffers in `scope` and uploads the inputs (X and A may already live on the GPU). */
export function ssdBuffers(
  scope: BufferScope,
  d: SsdDims,
  Q: number,
  x: { X: GPUBuffer | Float32Array; A: GPUBuffer | Float32Array; B: Float32Array; C: Float32Array },
  init: Float32Array | null | undefined,
  trace: GPUBuffer,
): SsdBuffers {
  const nC = nChunks(d.T, Q);
  const sn = d.batch * d.H * d.P * d.N * 4;
  const yBytes = d.batch * d.T * d.H * d.P * 4;
  const up = (name: string, v: GPUBuffer | Float32Array) =>
    v instanceof Float32Array ? scope.upload(name, v) : v;
  return {
    X: up('X', x.X),
    A: up('A', x.A),
    B: scope.upload('B', x.B),
    C: scope.upload('C', x.C),
    init: init ? scope.upload('init', init) : scope.storage('init', 4),
    Ydiag: scope.storage('Ydiag', yBytes),
    Acum: scope.storage('Acum', d.batch * d.T * d.H * 4),
    states: scope.storage('states', nC * sn),
    passed: scope.storage('passed', (nC + 1) * sn),
    Y: scope.storage('Y', yBytes),
    trace,
  };
}

/** Copies `count` f32 values from `src` at element `offset` into a temporary buffer and reads them back. */
export async function readSlice(gpu: Gpu, scope: BufferScope, src: GPUBuffer, offset: number, count: number) {
  const dst = createStorage(gpu, `${scope.prefix}.slice`, count * 4);
  try {
    const enc = gpu.device.createCommandEncoder({ label: `${src.label}.slice` });
    enc.copyBufferToBuffer(src, offset * 4, dst, 0, count * 4);
    gpu.device.queue.submit([enc.finish()]);
    return new Float32Array(await readback(gpu, dst, count * 4));
  } finally {
    dispose(gpu, dst);
  }
}

/** Validates sizes before anything is allocated. */
export function checkSsdRun(d: SsdDims, Q: number, where: string): void {
  for (const k of ['batch', 'T', 'H', 'P', 'N', 'G'] as const) {
    if (!Number.isInteger(d[k]) || d[k] < 1)
      throw new EngineError(where, `${k} must be an integer >= 1, got ${d[k]}`);
  }
  if (d.H % d.G !== 0) throw new EngineError(where, `groups G=${d.G} must divide heads H=${d.H}`);
  if (!Number.isInteger(Q) || Q < 1) throw new EngineError(where, `chunk must be an integer >= 1, got ${Q}`);
}

/**
 * The SsdParams fields of shaders/ssd/ssdCommon.wgsl for chunks [c0, c1), `count` workgroups, and trace
 * ids from wg0.
 */
export function ssdParams(
  d: SsdDims,
  Q: number,
  w: { c0: number; c1: number; hasInit: boolean; count: number; wg0?: number },
) {
  const { batch, T, H, P, N, G } = d;
  const { c0, c1, count } = w;
  return {
    batch,
    T,
    H,
    P,
    N,
    G,
    Q,
    nC: nChunks(T, Q),
    c0,
    c1,
    hasInit: w.hasInit ? 1 : 0,
    count,
    wg0: w.wg0 ?? 0,
  };
}

/** The phases tiled by rowTile(), whose `phase` is shaders/ssd/rowTilePhase.wgsl's. */
const ROW_TILED = ['ssdDiag', 'ssdStateOutput'];

/** The sources of a kernel entered through shaders/common/perWorkgroup.wgsl (ssd/perWorkgroup.wgsl: its phase). */
export const perWorkgroupSources = (file: string, traced: boolean) => [
  ...(traced ? ['common/trace.wgsl'] : []),
  'common/grid.wgsl',
  'ssd/ssdCommon.wgsl',
  ...(ROW_TILED.includes(file) ? ['ssd/rowTilePhase.wgsl'] : []),
  `ssd/${file}.wgsl`,
  'ssd/perWorkgroup.wgsl',
  'common/perWorkgroup.wgsl',
];

export type PhaseKernels = Record<SsdPhase, Kernel>;

/** The four phase kernels for these tiles (labels ssd.diag … ssd.stateOutput, whoever runs them). */
export async function ssdPhaseKernels(gpu: Gpu, tiles: SsdTiles, trace: boolean): Promise<PhaseKernels> {
  const spec = (name: string, file: string, sizes: Record<string, number> | null) =>
    kernel(gpu, {
      label: `ssd.${name}`,
      sources: perWorkgroupSources(file, true),
      prelude: sizes ? prelude(sizes) : undefined,
      constants: { TRACE: trace ? 1 : 0, ...(sizes ? {} : tiles.pass) },
      trace: SSD_TRACE,
    });
  const [diag, state, pass, out] = await Promise.all([
    spec('diag', 'ssdDiag', tiles.diag),
    spec('chunkState', 'ssdChunkState', tiles.state),
    spec('statePass', 'ssdStatePass', null),
    spec('stateOutput', 'ssdStateOutput', tiles.out),
  ]);
  return { 1: diag, 2: state, 3: pass, 4: out };
}

/** What a chunked run needs besides buffers: sizes, chunk, tiles and the compiled phase kernels. */
export interface SsdPlan {
  d: SsdDims;
  Q: number;
  tiles: SsdTiles;
  kernels: PhaseKernels;
  hasInit: boolean;
}

export async function ssdPlan(
  gpu: Gpu,
  d: SsdDims,
  Q: number,
  opts: { trace?: boolean; hasInit?: boolean } = {},
): Promise<SsdPlan> {
  const tiles = ssdTiles(d, Q);
  return { d, Q, tiles, kernels: await ssdPhaseKernels(gpu, tiles, !!opts.trace), hasInit: !!opts.hasInit };
}

/** Workgroups of one phase over `span` chunks, in the linear order the kernel unflattens. */
export function phaseWorkgroups(phase: SsdPhase, d: SsdDims, Q: number, t: SsdTiles, span: number): number {
  const bh = d.batch * d.H;
  if (phase === 1) return bh * cdiv(d.P, t.diag.PT) * span * cdiv(Q, t.diag.TT);
  if (phase === 2) return bh * cdiv(d.P, t.state.PT) * cdiv(d.N, t.state.NT) * span;
  if (phase === 3) return cdiv(d.P * d.N, t.pass.WG) * bh;
  return bh * cdiv(d.P, t.out.PT) * span * cdiv(Q, t.out.TT);
}

/** Upper bounds on the trace records of one workgroup of each phase over `span` chunks. */
function eventsPerWorkgroup(phase: SsdPhase, d: SsdDims, Q: number, t: SsdTiles, span: number): number {
  if (phase === 1) return cdiv(Q, t.diag.TT) * (2 * cdiv(d.N, t.diag.NB) + 2) + 3;
  if (phase === 2) return 3 * cdiv(Q, t.state.TS) + 2;
  if (phase === 3) return 2 + 4 * span;
  return 1 + 2 * cdiv(d.N, t.out.NB) + 3;
}

/** An upper bound on the trace events of phases 1..4 over `span` chunks. */
export function ssdTraceCapacity(d: SsdDims, Q: number, tiles: SsdTiles, span: number): number {
  return SSD_PHASES.reduce(
    (sum, ph) => sum + phaseWorkgroups(ph, d, Q, tiles, span) * eventsPerWorkgroup(ph, d, Q, tiles, span),
    0,
  );
}

/** The buffers each phase binds, by the WGSL names (the uniform prm aside). */
const BOUND: Record<SsdPhase, ReadonlyArray<keyof SsdBuffers>> = {
  1: ['X', 'A', 'B', 'C', 'Ydiag', 'Acum', 'trace'],
  2: ['X', 'A', 'B', 'states', 'trace'],
  3: ['Acum', 'states', 'init', 'passed', 'trace'],
  4: ['Acum', 'C', 'passed', 'Ydiag', 'Y', 'trace'],
};

export type PhaseDispatch = Dispatch & { phase: SsdPhase; params: Uniform };

/**
 * The dispatch of one phase for chunks [c0, c1) on the given buffers, with its own SsdParams uniform
 * (owned by `scope`; `params.set({c0, c1})` moves a one-chunk dispatch to another chunk). Its trace
 * workgroup ids start at wg0.
 */
export function ssdPhaseDispatch(
  gpu: Gpu,
  scope: BufferScope,
  plan: SsdPlan,
  phase: SsdPhase,
  b: SsdBuffers,
  chunks: { c0: number; c1: number; wg0?: number },
): PhaseDispatch {
  const k = plan.kernels[phase];
  const { c0, c1 } = chunks;
  const grid = gridFor(gpu, k.label, phaseWorkgroups(phase, plan.d, plan.Q, plan.tiles, c1 - c0));
  const w = { ...chunks, hasInit: plan.hasInit, count: grid.count };
  const params = uniformFor(scope, k, ssdParams(plan.d, plan.Q, w));
  const bindings: Record<string, GPUBuffer> = { prm: params.buffer };
  for (const name of BOUND[phase]) bindings[name] = b[name];
  return { kernel: k, bindings, workgroups: grid.workgroups, phase, params };
}

/** The four phases, in order, for chunks [c0, c1), with trace workgroup ids unique over the four. */
export function ssdPhaseDispatches(
  gpu: Gpu,
  scope: BufferScope,
  plan: SsdPlan,
  b: SsdBuffers,
  c0: number,
  c1: number,
): PhaseDispatch[] {
  let wg0 = 0;
  return SSD_PHASES.map((ph) => {
    const d = ssdPhaseDispatch(gpu, scope, plan, ph, b, { c0, c1, wg0 });
    wg0 += phaseWorkgroups(ph, plan.d, plan.Q, plan.tiles, c1 - c0);
    return d;
  });
}

/** Invocations a workgroup of the elementwise kernels (shaders/ssd/perElement.wgsl). */
export const ELEMENT_WG = 64;

/** An elementwise kernel: `sources` then the grid helpers and the perElement.wgsl entry. */
export function elementKernel(gpu: Gpu, label: string, sources: string[]): Promise<Kernel> {
  return kernel(gpu, {
    label,
    sources: [...sources, 'common/grid.wgsl', 'ssd/perElement.wgsl', 'common/perElement.wgsl'],
    constants: { WG: ELEMENT_WG },
  });
}

/** One invocation per element e < values.count, the grid folded; the uniform `prm` owned by `scope`. */
export function elementDispatch(
  gpu: Gpu,
  scope: BufferScope,
  k: Kernel,
  values: UniformValues & { count: number },
  buffers: Record<string, GPUBuffer>,
): Dispatch {
  const grid = gridForInvocations(gpu, k.label, values.count, ELEMENT_WG);
  const params = uniformFor(scope, k, values);
  return { kernel: k, bindings: { prm: params.buffer, ...buffers }, workgroups: grid.workgroups };
}
