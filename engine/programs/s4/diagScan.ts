// diagScan: the recurrence of a diagonal complex SSM over B·H sequences on the GPU (one workgroup per
// sequence over a folded grid, one invocation per mode). Serves the diagonal ssm_scan and s4d_scan
// (discretize + scan in one submission, y = 2 Re C x). Dense Ā lives in ssmScan.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import type { Disc } from '../../reference/discretize';
import { type Complex, deinterleave, interleave } from '../../util/complex';
import type { RunOptions } from '../program';
import { checkDt, checkL } from './common';
import { discretizeDiagDispatch, uploadDiagDisc } from './discretizeDiag';

export interface DiagScanShape {
  H: number;
  N2: number;
  L: number;
  rows: number; // B * H
  scale: number;
  hasX0: boolean;
}

export interface DiagScanBuffers {
  Abar: GPUBuffer; // (H, N2) complex
  Bbar: GPUBuffer; // (H, N2) complex
  C: GPUBuffer; // (H, N2) complex
  u: GPUBuffer; // (rows, L)
  x: GPUBuffer; // (rows, N2) complex: x0 in (hasX0), final state out
}

export function diagScanKernel(gpu: Gpu) {
  return kernel(gpu, {
    label: 'diagScan.recurrence',
    sources: ['common/math.wgsl', 'common/grid.wgsl', 's4/diagScan.wgsl'],
  });
}

/** Dispatch writing y (rows, L) complex into a new buffer: one workgroup per row. */
export async function diagScanDispatch(gpu: Gpu, scope: BufferScope, s: DiagScanShape, b: DiagScanBuffers) {
  checkL('diagScan', s.L);
  const y = scope.storage('y', s.rows * s.L * 8); // (rows, L) complex
  const k = await diagScanKernel(gpu);
  const { N2, L, rows, H, scale } = s;
  const p = uniformFor(scope, k, { N2, L, rows, H, hasX0: s.hasX0 ? 1 : 0, scale });
  const grid = gridFor(gpu, 'diagScan', rows);
  const dispatch: Dispatch = { kernel: k, bindings: { p: p.buffer, ...b, y }, workgroups: grid.workgroups };
  return { dispatch, y };
}

function checkShapes(
  label: string,
  H: number,
  count: number,
  others: Complex[],
  u: ArrayLike<number>,
  L: number,
) {
  if (H < 1 || count === 0 || count % H !== 0 || others.some((o) => o.data.length !== count))
    throw new EngineError(label, `Ā/A, B̄/B, C must all be (H, N2) with H=${H}`);
  if (u.length === 0 || u.length % (H * L) !== 0)
    throw new EngineError(label, `u must be (B, H, L) with H=${H}, L=${L}`);
}

/** Discretized Ā, B̄, C (H, N2) complex; u (B, H, L); x0 (B·H, N2) complex. Returns complex y and x_final. */
export async function diagScanGpu(
  gpu: Gpu,
  Abar: Complex,
  Bbar: Complex,
  C: Complex,
  u: ArrayLike<number>,
  H: number,
  L: number,
  x0?: Complex | null,
  opts: RunOptions = {},
) {
  const count = Abar.data.length;
  checkShapes('diagScan', H, count, [Bbar, C], u, L);
  const rows = u.length / L;
  const N2 = count / H;
  if (x0 && x0.data.length !== rows * N2) throw new EngineError('diagScan', `x0 must be (${rows}, ${N2})`);
  return inScope(gpu, 'diagScan', async (scope) => {
    const b = {
      Abar: scope.upload('Abar', interleave(Abar)),
      Bbar: scope.upload('Bbar', interleave(Bbar)),
      C: scope.upload('C', interleave(C)),
      u: scope.upload('u', Float32Array.from(u)),
      x: x0 ? scope.upload('x', interleave(x0)) : scope.storage('x', rows * N2 * 8),
    };
    const d = await diagScanDispatch(gpu, scope, { H, N2, L, rows, scale: 1, hasX0: !!x0 }, b);
    const run = await runDispatches(gpu, 'diagScan', [d.dispatch], opts);
    return {
      y: deinterleave(await readF32(gpu, d.y, 2 * rows * L)),
      x_final: deinterleave(await readF32(gpu, b.x, 2 * rows * N2)),
      ...run,
    };
  });
}

/** s4d_scan: A, B, C (H, N2) complex, dt (H,), u (B, H, L) -> y (B, H, L) = 2 Re C x_k. */
export async function s4dScanGpu(
  gpu: Gpu,
  A: Complex,
  B: Complex,
  C: Complex,
  dt: ArrayLike<number>,
  u: ArrayLike<number>,
  L: number,
  disc: Disc,
  opts: RunOptions = {},
) {
  const H = dt.length;
  const count = A.data.length;
  checkShapes('s4dScan', H, count, [B, C], u, L);
  for (const d of Array.from(dt)) checkDt('s4dScan', d);
  const rows = u.length / L;
  const N2 = count / H;
  return inScope(gpu, 's4dScan', async (scope) => {
    const disc0 = await discretizeDiagDispatch(
      gpu,
      scope,
      { count, perDt: N2, disc },
      uploadDiagDisc(scope, A, B, dt),
    );
    const bufs = {
      Abar: disc0.Abar,
      Bbar: disc0.Bbar,
      C: scope.upload('C', interleave(C)),
      u: scope.upload('u', Float32Array.from(u)),
      x: scope.storage('x', rows * N2 * 8),
    };
    const scan = await diagScanDispatch(gpu, scope, { H, N2, L, rows, scale: 2, hasX0: false }, bufs);
    const run = await runDispatches(gpu, 's4dScan', [disc0.dispatch, scan.dispatch], opts);
    return { y: deinterleave(await readF32(gpu, scan.y, 2 * rows * L)).data, ...run };
  });
}
