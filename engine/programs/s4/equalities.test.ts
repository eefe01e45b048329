import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { causalConv } from '../../reference/conv';
import { discretizeBilinearDense, discretizeDiag, discretizeZohDense } from '../../reference/discretize';
import { hippoLegs } from '../../reference/hippo';
import { s4KernelDiag, ssmScanDiag } from '../../reference/s4';
import { s4dKernel } from '../../reference/s4d';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { diagScanGpu, s4dScanGpu } from './diagScan';
import { discretizeDenseGpu } from './discretizeDense';
import { discretizeDiagGpu } from './discretizeDiag';
import { fftConvGpu } from './fftConv';
import { hippoLegsGpu } from './hippoLegs';
import { s4KernelDenseGpu, s4KernelDiagGpu } from './s4Kernel';
import { s4PipelineProgram } from './s4Pipeline';
import { s4dKernelGpu, s4dKernelProgram } from './s4dKernel';
import { ssmConvGpu } from './ssmConv';
import { scanRowsInWorkgroup, ssmScanGpu, ssmScanProgram } from './ssmScan';
import { expectClose } from '../../util/testing';

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-4) => expectClose(got, want, rel);
const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
const hippo32 = (N: number) => {
  const { A, B } = hippoLegs(N);
  return { A: f32(A), B: f32(B) };
};

describe('S4 on the GPU', () => {
  it('fills HiPPO-LegS equal to the closed form for N=37', async () => {
    const gpu = await testGpu();
    const got = await hippoLegsGpu(gpu, 37);
    const want = hippoLegs(37);
    ok(got.A, want.A, 1e-6);
    ok(got.B, want.B, 1e-6);
  });

  it('discretizes HiPPO N=13 (dt=0.07) and N=64 (dt=0.3) by ZOH and bilinear like the float64 references', async () => {
    const gpu = await testGpu();
    for (const [N, dt] of [
      [13, 0.07],
      [64, 0.3],
    ]) {
      const { A, B } = hippo32(N);
      for (const [disc, ref] of [
        ['zoh', discretizeZohDense],
        ['bilinear', discretizeBilinearDense],
      ] as const) {
        const got = await discretizeDenseGpu(gpu, A, B, dt, disc);
        const want = ref(A, B, dt);
        ok(got.Abar, want.Abar);
        ok(got.Bbar, want.Bbar);
      }
    }
  });

  it('has ZOH and bilinear agree to O(dt^2): the gap shrinks at least 4x when dt halves (N=9)', async () => {
    const gpu = await testGpu();
    const { A, B } = hippo32(9);
    const gap = async (dt: number) => {
      const z = await discretizeDenseGpu(gpu, A, B, dt, 'zoh');
      const b = await discretizeDenseGpu(gpu, A, B, dt, 'bilinear');
      return relCheck(z.Abar, b.Abar, 1).err;
    };
    const [g1, g2] = [await gap(0.02), await gap(0.01)];
    expect(g2).toBeLessThan(0.01);
    expect(g1 / g2).toBeGreaterThan(4);
  });

  it('gives the same y from the scan and from the convolution with K computed on the GPU (N=7, L=203)', async () => {
    const gpu = await testGpu();
    const { A, B } = hippo32(7);
    const { Abar, Bbar } = await discretizeDenseGpu(gpu, A, B, 0.05, 'zoh');
    const rng = new Rng(4);
    const C = rng.normals(7, 0.4);
    const u = rng.normals(203);
    const { K } = await s4KernelDenseGpu(gpu, Abar, Bbar, C, 203);
    const scan = await ssmScanGpu(gpu, Abar, Bbar, C, u);
    const direct = await ssmConvGpu(gpu, { B: 1, H: 1, L: 203 }, { K, u });
    const fft = await fftConvGpu(gpu, { B: 1, H: 1, L: 203 }, { K, u });
    ok(scan.y, direct.y);
    ok(scan.y, fft.y);
  });

  it('computes FFT convolution equal to the direct one at L=300 and L=1000 with several channels', async () => {
    const gpu = await testGpu();
    for (const p of [
      { B: 2, H: 3, L: 300 },
      { B: 1, H: 2, L: 1000 },
    ]) {
      const rng = new Rng(p.L);
      const K = rng.normals(p.H * p.L, 0.1);
      const u = rng.normals(p.B * p.H * p.L);
      const D = rng.normals(p.H);
      const fft = await fftConvGpu(gpu, p, { K, u, D });
      const direct = causalConv(K, u, p.B, p.H, p.L);
      for (let i = 0; i < direct.length; i++) direct[i] += D[Math.floor(i / p.L) % p.H] * u[i];
      ok(fft.y, direct);
      ok((await fftConvGpu(gpu, p, { K, u })).y, (await ssmConvGpu(gpu, p, { K, u })).y);
    }
  });

  it('has the Vandermonde S4D kernel equal the diagonal scan impulse response (H=3, N2=5, L=203)', async () => {
    const gpu = await testGpu();
    const p = { H: 3, N2: 5, L: 203, disc: 'zoh' as const };
    for (const disc of ['zoh', 'bilinear'] as const) {
      const x = s4dKernelProgram.makeInputs({ ...p, disc }, 8);
      const K = (await s4dKernelGpu(gpu, disc === 'zoh' ? 0 : 1, x.A, x.B, x.C, x.dt, p.L)).K;
      const delta = new Float32Array(p.H * p.L);
      for (let h = 0; h < p.H; h++) delta[h * p.L] = 1;
      const { y } = await s4dScanGpu(gpu, x.A, x.B, x.C, x.dt, delta, p.L, disc);
      ok(K, y);
      ok(K, (await s4dKernelProgram.reference({ ...p, disc }, x)).K);
    }
  });

  it('runs the diagonal complex scan with x0 and more modes than a workgroup (N2=70, L=203)', async () => {
    const gpu = await testGpu();
    const rng = new Rng(12);
    const n = 70;
    const mag = rng.uniforms(n, 0.8, 0.99);
    const ang = rng.uniforms(n, -1, 1);
    const Abar = {
      re: Float64Array.from(mag, (m, i) => m * Math.cos(ang[i])),
      im: Float64Array.from(mag, (m, i) => m * Math.sin(ang[i])),
    };
    const c = () => ({
      re: Float64Array.from(rng.normals(n, 0.2)),
      im: Float64Array.from(rng.normals(n, 0.2)),
    });
    const [Bbar, C, x0] = [c(), c(), c()];
    const u = rng.normals(203);
    const Ab = { re: Float64Array.from(f32(Abar.re)), im: Float64Array.from(f32(Abar.im)) };
    const want = ssmScanDiag(Ab, Bbar, C, u, x0);
    const z = (c: { re: Float64Array; im: Float64Array }) => ({ data: c.re, imag: c.im });
    const got = await diagScanGpu(gpu, z(Ab), z(Bbar), z(C), u, 1, 203, z(x0));
    ok(got.y.data, want.y.re);
    ok(got.y.imag, want.y.im);
    ok(got.x_final.data, want.x_final.re);
    const K = await s4KernelDiagGpu(gpu, z(Ab), z(Bbar), z(C), 203);
    ok(K.data, s4KernelDiag(Ab, Bbar, C, 203).re);
  });

  it('discretizes diagonal complex A on the GPU like the reference, A=0 included (ZOH gives dt·B there)', async () => {
    const gpu = await testGpu();
    const A = { data: [0, -0.5, -0.5, -1.25], imag: [0, 0, 3.14, 40] };
    const B = { data: [1, 0.5, -0.25, 2], imag: [0.5, 0, 1, -1] };
    for (const disc of ['zoh', 'bilinear'] as const) {
      const got = await discretizeDiagGpu(gpu, A, B, [0.02, 0.3], disc);
      const want = discretizeDiag(
        { re: Float64Array.from(A.data), im: Float64Array.from(A.imag) },
        { re: Float64Array.from(B.data), im: Float64Array.from(B.imag) },
        [0.02, 0.3],
        disc,
        2,
      );
      ok(got.Abar.data, want.Abar.re);
      ok(got.Abar.imag, want.Abar.im);
      ok(got.Bbar.data, want.Bbar.re);
      ok(got.Bbar.imag, want.Bbar.im);
    }
  });

  it('runs the whole S4 pipeline in one submission equal to the reference (N=16, L=300, zoh)', async () => {
    const gpu = await testGpu();
    const p = { N: 16, L: 300, dt: 0.02, disc: 'zoh' as const };
    const x = s4PipelineProgram.makeInputs(p, 5);
    const got = (await s4PipelineProgram.run(gpu, p, x)).outputs;
    const want = s4PipelineProgram.reference(p, x);
    for (const k of ['Abar', 'Bbar', 'K', 'y'] as const) ok(got[k], want[k], 1e-3);
  });

  it('records the scan traffic: Ā loaded once (4N^2 bytes), y and the states written once (N=9, L=50)', async () => {
    const gpu = await testGpu();
    const rng = new Rng(2);
    const r = await ssmScanGpu(gpu, rng.normals(81, 0.1), rng.normals(9), rng.normals(9), rng.normals(50), {
      states: true,
      trace: true,
    });
    const b = bytesBy(r.trace!);
    expect(b['load:Abar']).toBe(4 * 81);
    expect(b['read:Abar']).toBeUndefined();
    expect(b['write:y']).toBe(4 * 50);
    expect(b['write:states']).toBe(4 * 50 * 9);
  });

  it('keeps the rows of Ā that fit in workgroup memory and streams the rest at N=70 (scan equals the reference)', async () => {
    const gpu = await testGpu();
    const p = { N: 70, L: 61 };
    const x = ssmScanProgram.makeInputs(p, 6);
    const r = await ssmScanGpu(gpu, x.Abar, x.Bbar, x.C, x.u, { trace: true });
    ok(r.y, ssmScanProgram.reference(p, x).y);
    const rows = scanRowsInWorkgroup(gpu, 70);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(70);
    const b = bytesBy(r.trace!);
    expect(b['load:Abar']).toBe(4 * rows * 70);
    expect(b['read:Abar']).toBe(4 * (70 - rows) * 70);
  });

  it('refuses bad parameters with clear errors and leaks no buffers', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const { A, B } = hippo32(4);
    await expect(discretizeDenseGpu(gpu, A, B, 0, 'zoh')).rejects.toThrow(/dt must be/);
    await expect(discretizeDenseGpu(gpu, A, B, 0.1, 'euler' as 'zoh')).rejects.toThrow(/disc must be/);
    await expect(discretizeDenseGpu(gpu, A, B.subarray(0, 3), 0.1, 'zoh')).rejects.toThrow(/\(N,N\)/);
    // I − dt/2·A = 0 when A = (2/dt) I.
    const sing = f32([20, 0, 0, 20]);
    await expect(discretizeDenseGpu(gpu, sing, f32([1, 1]), 0.1, 'bilinear')).rejects.toThrow(/singular/);
    await expect(
      discretizeDenseGpu(gpu, new Float32Array(513 * 513), new Float32Array(513), 0.1, 'zoh'),
    ).rejects.toThrow(/N must be/);
    await expect(s4KernelDenseGpu(gpu, A, B, B, 0)).rejects.toThrow(/L must be/);
    await expect(
      fftConvGpu(gpu, { B: 1, H: 2, L: 8 }, { K: new Float32Array(8), u: new Float32Array(16) }),
    ).rejects.toThrow(/want u/);
    await expect(
      s4dKernelGpu(gpu, 0, { data: [1, 2, 3] }, { data: [1, 2, 3] }, { data: [1, 2, 3] }, [0.1, 0.1], 8),
    ).rejects.toThrow(/\(H, N2\)/);
    expect(gpu.liveBuffers.size).toBe(before);
  });
});

describe('S4D kernel reference', () => {
  it('equals 2 Re of the diagonal Krylov kernel per channel', () => {
    const x = s4dKernelProgram.makeInputs({ H: 2, N2: 3, L: 17, disc: 'zoh' }, 1);
    const cv = (c: { data: Float32Array; imag: Float32Array }) => ({
      re: Float64Array.from(c.data),
      im: Float64Array.from(c.imag),
    });
    const K = s4dKernel(cv(x.A), cv(x.B), cv(x.C), x.dt, 17, 'zoh');
    const d = discretizeDiag(cv(x.A), cv(x.B), x.dt, 'zoh', 3);
    const row = (c: { re: Float64Array; im: Float64Array }, h: number) => ({
      re: c.re.subarray(3 * h, 3 * h + 3),
      im: c.im.subarray(3 * h, 3 * h + 3),
    });
    for (let h = 0; h < 2; h++) {
      const k = s4KernelDiag(row(d.Abar, h), row(d.Bbar, h), row(cv(x.C), h), 17);
      ok(
        K.subarray(17 * h, 17 * h + 17),
        Float64Array.from(k.re, (v) => 2 * v),
        1e-12,
      );
    }
  });
});
