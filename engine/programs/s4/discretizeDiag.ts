// discretizeDiag: ZOH or bilinear discretization of diagonal complex A (H, N2) with complex B and one Δ per
// channel, elementwise on the GPU over a folded grid. Dense A lives in discretizeDense.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import type { Disc } from '../../reference/discretize';
import { type Complex, deinterleave, interleave } from '../../util/complex';
import type { RunOptions } from '../program';
import { checkDisc, checkDt, DIAG_SOURCES } from './common';

const WG = 64;

export function discretizeDiagKernel(gpu: Gpu) {
  return kernel(gpu, {
    label: 'discretizeDiag.main',
    sources: [...DIAG_SOURCES, 's4/discretizeDiag.wgsl'],
    constants: { WG },
  });
}

export interface DiagDiscBuffers {
  A: GPUBuffer; // (H, N2) complex
  B: GPUBuffer; // (H, N2) complex
  dt: GPUBuffer; // (H,)
}

/** Uploads A, B (H, N2) complex (interleaved) and dt (H,) into `scope`. */
export function uploadDiagDisc(
  scope: BufferScope,
  A: Complex,
  B: Complex,
  dt: ArrayLike<number>,
): DiagDiscBuffers {
  return {
    A: scope.upload('A', interleave(A)),
    B: scope.upload('B', interleave(B)),
    dt: scope.upload('dt', Float32Array.from(dt)),
  };
}

/** Dispatch: A, B (count = H·N2 complex), dt (H,), perDt = N2 -> new buffers Abar, Bbar (interleaved). */
export async function discretizeDiagDispatch(
  gpu: Gpu,
  scope: BufferScope,
  d: { count: number; perDt: number; disc: Disc },
  b: DiagDiscBuffers,
) {
  const { count, perDt, disc } = d;
  checkDisc('discretizeDiag', disc);
  const Abar = scope.storage('Abar', count * 8); // (H, N2) complex
  const Bbar = scope.storage('Bbar', count * 8); // (H, N2) complex
  const k = await discretizeDiagKernel(gpu);
  const p = uniformFor(scope, k, { count, perDt, mode: disc === 'zoh' ? 0 : 1 });
  const grid = gridForInvocations(gpu, 'discretizeDiag', count, WG);
  const dispatch: Dispatch = {
    kernel: k,
    bindings: { p: p.buffer, ...b, Abar, Bbar },
    workgroups: grid.workgroups,
  };
  return { dispatch, Abar, Bbar };
}

/** dt has one entry per channel (H,); A and B are (H, N2) complex. */
export async function discretizeDiagGpu(
  gpu: Gpu,
  A: Complex,
  B: Complex,
  dt: ArrayLike<number>,
  disc: Disc,
  opts: RunOptions = {},
) {
  const count = A.data.length;
  const H = dt.length;
  const label = `discretizeDiag.${disc}`;
  if (B.data.length !== count || H < 1 || count % H !== 0)
    throw new EngineError(
      label,
      `A and B must be (H, N2) with dt (H,); got ${count}, ${B.data.length}, ${H}`,
    );
  for (const d of Array.from(dt)) checkDt(label, d);
  return inScope(gpu, 'discretizeDiag', async (scope) => {
    const bufs = uploadDiagDisc(scope, A, B, dt);
    const d = await discretizeDiagDispatch(gpu, scope, { count, perDt: count / H, disc }, bufs);
    const run = await runDispatches(gpu, label, [d.dispatch], opts);
    return {
      Abar: deinterleave(await readF32(gpu, d.Abar, 2 * count)),
      Bbar: deinterleave(await readF32(gpu, d.Bbar, 2 * count)),
      ...run,
    };
  });
}
