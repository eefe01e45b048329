import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { S4D_WG, s4dKernelGpu, s4dKernelProgram } from './s4dKernel';
import { sameBits } from './testing';

describe('S4D Vandermonde kernel trace', () => {
  it('loads v and x once per block of positions and writes K once (H=3, N2=70, L=203, zoh), bit-identical to tracing off', async () => {
    const gpu = await testGpu();
    const p = { H: 3, N2: 70, L: 203, disc: 'zoh' as const };
    const x = s4dKernelProgram.makeInputs(p, 4);
    const off = await s4dKernelProgram.run(gpu, p, x);
    const on = await s4dKernelProgram.run(gpu, p, x, { trace: true });
    sameBits(on.outputs.K, off.outputs.K);
    expect(relCheck(on.outputs.K, s4dKernelProgram.reference(p, x).K, 1e-4).ok).toBe(true);
    const t = on.trace;
    if (!t) throw new Error('no trace');
    expect(t.dropped).toBe(0);
    const { H, N2, L } = p;
    const modes = H * N2;
    const blocks = Math.ceil(L / S4D_WG);
    expect(bytesBy(t)).toEqual({
      'read:A': 8 * modes,
      'read:B': 8 * modes,
      'read:C': 8 * modes,
      'read:dt': 4 * modes,
      'write:v': 8 * modes,
      'write:x': 8 * modes,
      'load:v': 8 * modes * blocks,
      'load:x': 8 * modes * blocks,
      'write:K': 4 * H * L,
      'write:Kc': 8 * H * L,
    });
    const compute = t.events.filter((e) => e.kind === 'compute');
    // Every Vandermonde term e^{l x_n} is counted once; N2 = 70 needs two mode tiles per workgroup.
    expect(compute.reduce((s, e) => s + e.count, 0)).toBe(modes * L);
    expect(compute.length).toBe(2 * blocks * H);
    expect(new Set(compute.map((e) => e.aux))).toEqual(new Set([0, 1]));
  });

  it('reads no B in the minimal mode (B = 1) and the same K with tracing on (H=2, N2=5, L=37)', async () => {
    const gpu = await testGpu();
    const x = s4dKernelProgram.makeInputs({ H: 2, N2: 5, L: 37, disc: 'zoh' }, 5);
    const A = { data: x.A.data.map(() => Math.log(0.5)), imag: x.A.imag };
    const logDt = [-3, -4];
    const off = await s4dKernelGpu(gpu, 2, A, x.B, x.C, logDt, 37);
    const on = await s4dKernelGpu(gpu, 2, A, x.B, x.C, logDt, 37, 2, { trace: true });
    sameBits(on.K, off.K);
    const b = bytesBy(on.trace ?? { events: [], dropped: 1 });
    expect(b['read:B']).toBeUndefined();
    expect(b['read:dt']).toBe(4 * 10);
    expect(b['write:K']).toBe(4 * 2 * 37);
  });
});
