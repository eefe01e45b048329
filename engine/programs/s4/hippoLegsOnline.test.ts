import { describe, expect, it } from 'vitest';
import { EngineError } from '../../gpu/errors';
import { testGpu } from '../../node/testGpu';
import { hippoLegsOnline } from '../../reference/hippoOnline';
import { hippoLegsOnlineGpu, hippoLegsOnlinePlan, smoothSignal } from './hippoLegsOnline';
import { ONLINE_DISCS } from './hippoOnlineKernels';
import { expectClose } from '../../util/testing';

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-4) => expectClose(got, want, rel);
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Mean |f − reconstruction| over the oldest and the newest quarter of the history. */
function quarterErrors(f: ArrayLike<number>, rec: ArrayLike<number>) {
  const L = f.length;
  const q = Math.floor(L / 4);
  const mean = (from: number) => {
    let s = 0;
    for (let j = from; j < from + q; j++) s += Math.abs(f[j] - rec[j]);
    return s / q;
  };
  return { oldest: mean(0), newest: mean(L - q) };
}

describe('HiPPO-LegS online on the GPU', () => {
  it('equals the float64 reference in every discretization, transitions included (N=7, L=33; N=5, L=1)', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    for (const [N, L] of [
      [7, 33],
      [5, 1],
    ]) {
      const f = smoothSignal(L, N);
      for (const disc of ONLINE_DISCS) {
        const got = await hippoLegsOnlineGpu(gpu, f, N, disc, { stacked: true });
        const want = hippoLegsOnline(f, N, disc);
        ok(got.coefficients, want.coefficients);
        ok(got.reconstruction, want.reconstruction);
        ok(got.Astacked ?? [], want.Astacked, 1e-5);
        ok(got.Bstacked ?? [], want.Bstacked, 1e-5);
      }
    }
    expect(gpu.liveBuffers.size).toBe(before);
  }, 60_000);

  it('runs in chunks of transitions bit for bit like the run that stores them all (N=5, L=23, chunks of 4)', async () => {
    const gpu = await testGpu();
    const f = smoothSignal(23, 2);
    for (const disc of ['zoh', 'backward'] as const) {
      const all = await hippoLegsOnlineGpu(gpu, f, 5, disc, { stacked: true });
      const chunked = await hippoLegsOnlineGpu(gpu, f, 5, disc, { chunk: 4 });
      expect(bits(chunked.coefficients).equals(bits(all.coefficients))).toBe(true);
      expect(bits(chunked.reconstruction).equals(bits(all.reconstruction))).toBe(true);
      expect(chunked.Astacked).toBeNull();
      // One submission: A, B; then per chunk its transitions and its window of the recurrence; the reconstruction.
      const labels = chunked.dispatches.map((d) => d.label);
      const window = [`hippoLegsOnline.transition.${disc}`, 'hippoLegsOnline.recurrence'];
      expect(labels).toEqual([
        'hippoLegs.fill',
        ...Array(6).fill(window).flat(),
        'hippoLegsOnline.reconstruct',
      ]);
      expect(chunked.dispatches[1].workgroups).toEqual([4, 1, 1]);
      expect(chunked.dispatches[11].workgroups).toEqual([3, 1, 1]);
      expect(all.dispatches[1].workgroups).toEqual([23, 1, 1]);
    }
  }, 60_000);

  it('with f ≡ 1 (A e₀ = −B, so e₀ is a fixed point of every step) gives the bilinear c_L[0] = 1 − 1/(2L+1) (N=9, L=101)', async () => {
    const gpu = await testGpu();
    const [N, L] = [9, 101];
    const f = new Float32Array(L).fill(1);
    const want = 1 - 1 / (2 * L + 1);
    const got = await hippoLegsOnlineGpu(gpu, f, N, 'bilinear');
    const cpu = hippoLegsOnline(f, N, 'bilinear');
    expect(cpu.coefficients[(L - 1) * N]).toBeCloseTo(want, 12);
    expect(got.coefficients[(L - 1) * N]).toBeCloseTo(want, 5);
    ok(got.coefficients, cpu.coefficients);
  });

  it('reconstructs the distant past worse than the recent past (smooth signal, L=301, N=9, 15, 31)', async () => {
    const gpu = await testGpu();
    const L = 301;
    for (const N of [9, 15, 31]) {
      const f = smoothSignal(L, 11 + N);
      const cpu = quarterErrors(f, hippoLegsOnline(f, N, 'bilinear').reconstruction);
      const gpuRun = await hippoLegsOnlineGpu(gpu, f, N, 'bilinear');
      const got = quarterErrors(f, gpuRun.reconstruction);
      expect(cpu.oldest, `N=${N} cpu`).toBeGreaterThan(cpu.newest);
      expect(got.oldest, `N=${N} gpu`).toBeGreaterThan(got.newest);
    }
  }, 60_000);

  it('refuses stacked transitions past the device limits before allocating, and chunks without them', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const N = 512;
    const maxBind = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize);
    const L = Math.floor(maxBind / (4 * N * N)) + 1;
    await expect(
      hippoLegsOnlineGpu(gpu, new Float32Array(L), N, 'forward', { stacked: true }),
    ).rejects.toThrow(new RegExp(`A_stacked \\(L,N,N\\) = \\(${L},512,512\\) needs ${4 * L * N * N} bytes`));
    expect(gpu.liveBuffers.size).toBe(before);
    // A 128 MiB device: 64 steps of N=512 transitions at once, 10 zoh scratch regions of 3·513² floats.
    const small = { ...gpu.limits, maxStorageBufferBindingSize: 128 << 20, maxBufferSize: 256 << 20 };
    expect(hippoLegsOnlinePlan(small, { N, L: 300, disc: 'zoh' })).toMatchObject({ chunk: 64, batch: 10 });
    expect(() => hippoLegsOnlinePlan(small, { N: 4, L: 3, disc: 'euler' as 'zoh' })).toThrow(EngineError);
    expect(() => hippoLegsOnlinePlan(small, { N: 0, L: 3, disc: 'zoh' })).toThrow(EngineError);
  });
});
