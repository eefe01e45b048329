// The four chunked-SSD kernels (diagonal blocks, chunk states, state passing, state to output) as
// dispatch builders on GPU buffers, shared by the chunked, quadratic, Mamba-2 and step-mode programs.
// Tile sizes are chosen from the problem size and passed to WGSL as a prelude (they are array lengths).

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import type { SsdDims } from '../../reference/ssd';

/**
 * Trace tensor ids, in the order of the T_* constants of shaders/ssd/ssdCommon.wgsl. Events of the SSD
 * kernels: load/store/read/write carry aux = chunk index and offset = first element of the region;
 * chunkPhase events carry offset = chunk, aux = phase (1 diagonal blocks, 2 chunk states, 3 state
 * passing, 4 state to output) and count = rows (phases 1, 4), chunk length (2) or state elements (3).
 * Workgroup ids are linear within each phase's dispatch.
 */
export const SSD_TENSORS = ['X', 'A', 'B', 'C', 'Ydiag', 'states', 'passed', 'Y', 'init', 'Acum'] as const;

export interface SsdTiles {
  diag: { TT: number; PT: number; NB: number; WG: number };
  state: { TS: number; PT: number; NT: number; WG: number };
  out: { TT: number; PT: number; NB: number; WG: number };
  pass: { WG: number };
}

const pow2 = (v: number) => 2 ** Math.ceil(Math.log2(Math.max(1, v)));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

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

const prelude = (c: Record<string, number>) =>
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

/** The SsdParams uniform of shaders/ssd/ssdCommon.wgsl. */
export function ssdUniform(
  scope: BufferScope,
  name: string,
  d: SsdDims,
  Q: number,
  c0: number,
  c1: number,
  hasInit: boolean,
): GPUBuffer {
  return scope.uniform(name, [
    ['u32', d.batch],
    ['u32', d.T],
    ['u32', d.H],
    ['u32', d.P],
    ['u32', d.N],
    ['u32', d.G],
    ['u32', Q],
    ['u32', nChunks(d.T, Q)],
    ['u32', c0],
    ['u32', c1],
    ['u32', hasInit ? 1 : 0],
    ['u32', 0],
  ]);
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

export interface PhaseKernels {
  diag: Dispatch['kernel'];
  state: Dispatch['kernel'];
  pass: Dispatch['kernel'];
  out: Dispatch['kernel'];
}

export async function ssdKernels(
  gpu: Gpu,
  label: string,
  tiles: SsdTiles,
  trace: boolean,
): Promise<PhaseKernels> {
  const constants = { TRACE: trace ? 1 : 0 };
  const src = (f: string) => ['common/trace.wgsl', 'ssd/ssdCommon.wgsl', `ssd/${f}.wgsl`];
  const [diag, state, pass, out] = await Promise.all([
    kernel(gpu, { label: `${label}.diag`, sources: src('ssdDiag'), prelude: prelude(tiles.diag), constants }),
    kernel(gpu, {
      label: `${label}.state`,
      sources: src('ssdChunkState'),
      prelude: prelude(tiles.state),
      constants,
    }),
    kernel(gpu, {
      label: `${label}.pass`,
      sources: src('ssdStatePass'),
      constants: { ...constants, ...tiles.pass },
    }),
    kernel(gpu, {
      label: `${label}.out`,
      sources: src('ssdStateOutput'),
      prelude: prelude(tiles.out),
      constants,
    }),
  ]);
  return { diag, state, pass, out };
}

/** The dispatch of one phase (1..4) for chunks [c0, c1). */
export function phaseDispatch(
  phase: 1 | 2 | 3 | 4,
  k: PhaseKernels,
  tiles: SsdTiles,
  d: SsdDims,
  Q: number,
  uni: GPUBuffer,
  b: SsdBuffers,
  c0: number,
  c1: number,
): Dispatch {
  const bh = d.batch * d.H;
  const span = c1 - c0;
  if (phase === 1) {
    const tpc = Math.ceil(Q / tiles.diag.TT);
    return {
      kernel: k.diag,
      bindings: [uni, b.X, b.A, b.B, b.C, b.Ydiag, b.Acum, b.trace],
      workgroups: [bh, Math.ceil(d.P / tiles.diag.PT), span * tpc],
    };
  }
  if (phase === 2) {
    const tiles2 = Math.ceil(d.P / tiles.state.PT) * Math.ceil(d.N / tiles.state.NT);
    return {
      kernel: k.state,
      bindings: [uni, b.X, b.A, b.B, b.states, b.trace],
      workgroups: [bh, tiles2, span],
    };
  }
  if (phase === 3) {
    return {
      kernel: k.pass,
      bindings: [uni, b.Acum, b.states, b.init, b.passed, b.trace],
      workgroups: [Math.ceil((d.P * d.N) / tiles.pass.WG), d.H, d.batch],
    };
  }
  const tpc = Math.ceil(Q / tiles.out.TT);
  return {
    kernel: k.out,
    bindings: [uni, b.Acum, b.C, b.passed, b.Ydiag, b.Y, b.trace],
    workgroups: [bh, Math.ceil(d.P / tiles.out.PT), span * tpc],
  };
}

/** An upper bound on the trace events of phases 1..4 over chunks [c0, c1). */
export function ssdTraceCapacity(d: SsdDims, Q: number, tiles: SsdTiles, span: number): number {
  const bh = d.batch * d.H;
  const tpc = Math.ceil(Q / tiles.diag.TT);
  const diagWgs = span * tpc * Math.ceil(d.P / tiles.diag.PT) * bh;
  const diagEv = tpc * (2 * Math.ceil(d.N / tiles.diag.NB) + 2) + 3;
  const stateWgs = span * Math.ceil(d.P / tiles.state.PT) * Math.ceil(d.N / tiles.state.NT) * bh;
  const stateEv = 3 * Math.ceil(Q / tiles.state.TS) + 2;
  const passWgs = Math.ceil((d.P * d.N) / tiles.pass.WG) * bh;
  const passEv = 2 + 4 * span;
  const outTpc = Math.ceil(Q / tiles.out.TT);
  const outWgs = span * outTpc * Math.ceil(d.P / tiles.out.PT) * bh;
  const outEv = 1 + 2 * Math.ceil(d.N / tiles.out.NB) + 3;
  return diagWgs * diagEv + stateWgs * stateEv + passWgs * passEv + outWgs * outEv;
}
