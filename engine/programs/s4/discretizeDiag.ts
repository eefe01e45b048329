// discretizeDiag: ZOH or bilinear discretization of diagonal complex A (H, N2) with complex B and one Δ per
// channel, elementwise on the GPU. Dense A lives in discretizeDense.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { checkDisc, checkDt, type Disc } from './discretizeDense';
import { type Complex, deinterleave, fold, interleave } from './common';

const WG = 64;

/** Dispatch: A, B (H·N2 complex, interleaved), dt (H,) -> new buffers Abar, Bbar (interleaved). */
export async function discretizeDiagDispatch(
  gpu: Gpu,
  scope: BufferScope,
  count: number,
  perDt: number,
  disc: Disc,
  A: GPUBuffer,
  B: GPUBuffer,
  dt: GPUBuffer,
) {
  checkDisc('discretizeDiag', disc);
  const Abar = scope.storage('Abar', count * 8);
  const Bbar = scope.storage('Bbar', count * 8);
  const k = await kernel(gpu, {
    label: 'discretizeDiag.main',
    sources: ['common/math.wgsl', 'common/complex.wgsl', 's4/diagDisc.wgsl', 's4/discretizeDiag.wgsl'],
    constants: { WG },
  });
  const { workgroups, rowStride } = fold(gpu, count, WG);
  const params = scope.uniform('params', [
    ['u32', count],
    ['u32', perDt],
    ['u32', disc === 'zoh' ? 1 : 0],
    ['u32', rowStride],
  ]);
  const dispatch: Dispatch = { kernel: k, bindings: [params, A, B, dt, Abar, Bbar], workgroups };
  return { dispatch, Abar, Bbar };
}

/** dt has one entry per channel (H,); A and B are (H, N2) complex. */
export async function discretizeDiagGpu(gpu: Gpu, A: Complex, B: Complex, dt: ArrayLike<number>, disc: Disc) {
  const count = A.data.length;
  const H = dt.length;
  const label = `discretizeDiag.${disc}`;
  if (B.data.length !== count || H < 1 || count % H !== 0)
    throw new EngineError(
      label,
      `A and B must be (H, N2) with dt (H,); got ${count}, ${B.data.length}, ${H}`,
    );
  for (const d of Array.from(dt)) checkDt(label, d);
  const scope = new BufferScope(gpu, 'discretizeDiag');
  try {
    const d = await discretizeDiagDispatch(
      gpu,
      scope,
      count,
      count / H,
      disc,
      scope.upload('A', interleave(A)),
      scope.upload('B', interleave(B)),
      scope.upload('dt', Float32Array.from(dt)),
    );
    await runDispatches(gpu, label, [d.dispatch]);
    return {
      Abar: deinterleave(await readF32(gpu, d.Abar, 2 * count)),
      Bbar: deinterleave(await readF32(gpu, d.Bbar, 2 * count)),
    };
  } finally {
    scope.release();
  }
}
