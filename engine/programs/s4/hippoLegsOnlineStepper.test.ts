import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { hippoLegsOnline, legsReconstruct } from '../../reference/hippoOnline';
import { hippoLegsOnlineGpu, smoothSignal } from './hippoLegsOnline';
import { createHippoLegsOnlineStepper, hippoLegsOnlineStepCount } from './hippoLegsOnlineStepper';
import { expectClose } from '../../util/testing';

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-5) => expectClose(got, want, rel);

describe('HiPPO-LegS online stepper', () => {
  it('steps to the whole run on both backends, the reconstruction of the history so far at every step (N=7, L=19)', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const p = { N: 7, L: 19 };
    const f = smoothSignal(p.L, 5);
    expect(hippoLegsOnlineStepCount(p)).toBe(19);
    for (const disc of ['bilinear', 'zoh'] as const) {
      const whole = await hippoLegsOnlineGpu(gpu, f, p.N, disc);
      const ref = hippoLegsOnline(f, p.N, disc);
      for (const backend of [gpu, null]) {
        const s = await createHippoLegsOnlineStepper(backend, { ...p, disc }, f);
        expect(s.backend).toBe(backend ? 'webgpu' : 'cpu');
        expect(s.count).toBe(19);
        for (let k = 0; k < p.L; k++) {
          const st = await s.step();
          expect(st.k).toBe(k);
          const row = ref.coefficients.subarray(k * p.N, (k + 1) * p.N);
          ok(st.coefficients, row);
          if (backend) expect(st.coefficients).toEqual(whole.coefficients.subarray(k * p.N, (k + 1) * p.N));
          expect(st.reconstruction.length).toBe(k + 1);
          ok(st.reconstruction, legsReconstruct(row, p.N, k + 1));
        }
        const last = s.k;
        expect(last).toBe(19);
        await expect(s.step()).rejects.toThrow(/all 19 steps are done/);
        await s.reset();
        ok((await s.step()).coefficients, ref.coefficients.subarray(0, p.N));
        s.dispose();
        await expect(s.step()).rejects.toThrow(/disposed/);
      }
    }
    expect(gpu.liveBuffers.size).toBe(before);
  }, 60_000);

  it('refuses an f of the wrong length and an unknown discretization', async () => {
    await expect(createHippoLegsOnlineStepper(null, { N: 3, L: 4, disc: 'zoh' }, [1, 2])).rejects.toThrow(
      /f must be \(L,\) = \(4,\)/,
    );
    await expect(
      createHippoLegsOnlineStepper(null, { N: 3, L: 2, disc: 'euler' as 'zoh' }, [1, 2]),
    ).rejects.toThrow(/disc must be one of/);
  });
});
