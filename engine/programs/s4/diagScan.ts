// diagScan: the recurrence of a diagonal complex SSM over B·H sequences on the GPU (one workgroup per
// sequence, one invocation per mode). Serves the diagonal ssm_scan and s4d_scan (discretize + scan in one
// submission, y = 2 Re C x). Dense Ā lives in ssmScan.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { checkDt, type Disc } from './discretizeDense';
import { discretizeDiagDispatch } from './discretizeDiag';
import { type Complex, deinterleave, fold, interleave } from './common';
import { checkL } from './s4dKernel';

export interface DiagScanShape {
  H: number;
  N2: number;
  L: number;
  rows: number; // B * H
  scale: number;
  hasX0: boolean;
}

export async function diagScanDispatch(
  gpu: Gpu,
  scope: BufferScope,
  s: DiagScanShape,
  b: { Abar: GPUBuffer; Bbar: GPUBuffer; C: GPUBuffer; u: GPUBuffer; x: GPUBuffer },
) {
  checkL('diagScan', s.L);
  const y = scope.storage('y', s.rows * s.L * 8);
  const g = fold(gpu, s.rows, 1);
  const params = scope.uniform('scan.params', [
    ['u32', s.N2],
    ['u32', s.L],
    ['u32', s.rows],
    ['u32', s.H],
    ['u32', s.hasX0 ? 1 : 0],
    ['f32', s.scale],
    ['u32', g.rowStride],
  ]);
  const k = await kernel(gpu, {
    label: 'diagScan.recurrence',
    sources: ['common/math.wgsl', 's4/diagScan.wgsl'],
  });
  const dispatch: Dispatch = {
    kernel: k,
    bindings: [params, b.Abar, b.Bbar, b.C, b.u, b.x, y],
    workgroups: g.workgroups,
  };
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
) {
  const count = Abar.data.length;
  checkShapes('diagScan', H, count, [Bbar, C], u, L);
  const rows = u.length / L;
  const N2 = count / H;
  if (x0 && x0.data.length !== rows * N2) throw new EngineError('diagScan', `x0 must be (${rows}, ${N2})`);
  const scope = new BufferScope(gpu, 'diagScan');
  try {
    const b = {
      Abar: scope.upload('Abar', interleave(Abar)),
      Bbar: scope.upload('Bbar', interleave(Bbar)),
      C: scope.upload('C', interleave(C)),
      u: scope.upload('u', Float32Array.from(u)),
      x: x0 ? scope.upload('x', interleave(x0)) : scope.storage('x', rows * N2 * 8),
    };
    const d = await diagScanDispatch(gpu, scope, { H, N2, L, rows, scale: 1, hasX0: !!x0 }, b);
    await runDispatches(gpu, 'diagScan', [d.dispatch]);
    return {
      y: deinterleave(await readF32(gpu, d.y, 2 * rows * L)),
      x_final: deinterleave(await readF32(gpu, b.x, 2 * rows * N2)),
    };
  } finally {
    scope.release();
  }
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
) {
  const H = dt.length;
  const count = A.data.length;
  checkShapes('s4dScan', H, count, [B, C], u, L);
  for (const d of Array.from(dt)) checkDt('s4dScan', d);
  const rows = u.length / L;
  const N2 = count / H;
  const scope = new BufferScope(gpu, 's4dScan');
  try {
    const disc0 = await discretizeDiagDispatch(
      gpu,
      scope,
      count,
      N2,
      disc,
      scope.upload('A', interleave(A)),
      scope.upload('B', interleave(B)),
      scope.upload('dt', Float32Array.from(dt)),
    );
    const b = {
      Abar: disc0.Abar,
      Bbar: disc0.Bbar,
      C: scope.upload('C', interleave(C)),
      u: scope.upload('u', Float32Array.from(u)),
      x: scope.storage('x', rows * N2 * 8),
    };
    const d = await diagScanDispatch(gpu, scope, { H, N2, L, rows, scale: 2, hasX0: false }, b);
    await runDispatches(gpu, 's4dScan', [disc0.dispatch, d.dispatch]);
    return deinterleave(await readF32(gpu, d.y, 2 * rows * L)).data;
  } finally {
    scope.release();
  }
}
