import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { hippoLegsOnlineProgram, hippoLegsOnlineGpu, smoothSignal } from './hippoLegsOnline';
import { reconstructWorkgroups } from './hippoOnlineKernels';

const bits = (a: ArrayLike<number>) => Buffer.from(Float32Array.from(a).buffer);

describe('HiPPO-LegS online trace', () => {
  it('counts the bytes of every tensor by the formulas, in windows of 4 steps, bit-identical to tracing off (N=5, L=13, zoh)', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const [N, L, chunk] = [5, 13, 4];
    const f = smoothSignal(L, 9);
    const off = await hippoLegsOnlineGpu(gpu, f, N, 'zoh', { chunk });
    const on = await hippoLegsOnlineGpu(gpu, f, N, 'zoh', { chunk, trace: true });
    expect(bits(on.coefficients).equals(bits(off.coefficients))).toBe(true);
    expect(bits(on.reconstruction).equals(bits(off.reconstruction))).toBe(true);
    const t = on.trace;
    if (!t) throw new Error('no trace');
    expect(t.dropped).toBe(0);
    const windows = Math.ceil(L / chunk);
    const wgs = reconstructWorkgroups(L);
    expect(bytesBy(t)).toEqual({
      // every step's transition: A and B read, Ā_k and B̄_k written, once per step
      'load:A': 4 * L * N * N,
      'load:B': 4 * L * N,
      'store:Abar': 4 * L * N * N,
      'store:Bbar': 4 * L * N,
      // the recurrence reads each transition and f_k once, writes each c_k once, and carries c across windows
      'read:Abar': 4 * L * N * N,
      'read:Bbar': 4 * L * N,
      'read:f': 4 * L,
      'write:coefficients': 4 * L * N,
      'load:c': 4 * N * (windows - 1),
      'store:c': 4 * N * windows,
      // the reconstruction: c_L once per workgroup, every sample written once
      'load:coefficients': 4 * N * wgs,
      'store:reconstruction': 4 * L,
    });
    expect(t.events.length).toBe(4 * L + 6 * windows + 2 * wgs);
    expect(off.trace).toBeNull();
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('the program runs traced too and equals its reference (N=3, L=9, backward)', async () => {
    const gpu = await testGpu();
    const p = { N: 3, L: 9, disc: 'backward' as const };
    const x = hippoLegsOnlineProgram.makeInputs(p, 1);
    const r = await hippoLegsOnlineProgram.run(gpu, p, x, { trace: true });
    const want = hippoLegsOnlineProgram.reference(p, x);
    expect(relCheck(r.outputs.coefficients, want.coefficients, 1e-4).ok).toBe(true);
    expect(relCheck(r.outputs.reconstruction, want.reconstruction, 1e-4).ok).toBe(true);
    expect(r.trace?.events.length).toBe(4 * 9 + 6 + 2);
    expect(r.dispatches.at(-1)?.label).toBe('hippoLegsOnline.reconstruct');
  });
});
