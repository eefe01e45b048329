import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { hippoLegs } from '../../reference/hippo';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { fftConvGpu } from './fftConv';
import { hippoLegsGpu } from './hippoLegs';
import { ssmConvGpu } from './ssmConv';

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-5) =>
  expect(relCheck(got, want, rel).ok).toBe(true);

/** Rows past the 65,535 workgroups of one grid dimension. */
const R = 70001;

describe('records of what the S4 programs ran', () => {
  it('names the FFT convolution passes in order with their grids, sources and buffers (B=1, H=2, L=5)', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const p = { B: 1, H: 2, L: 5 };
    const rng = new Rng(3);
    const r = await fftConvGpu(gpu, p, { K: rng.normals(p.H * p.L), u: rng.normals(p.B * p.H * p.L) });
    // n = 16: pack, 4 forward passes over the 4 rows (B·H of u, H of K), product, 4 inverse passes, unpack.
    const passes = Array(4).fill('fftConv.pass');
    expect(r.dispatches.map((d) => d.label)).toEqual([
      'fftConv.pack',
      ...passes,
      'fftConv.mul',
      ...passes,
      'fftConv.unpack',
    ]);
    // One invocation per element: 4 rows × 16 packed, 4 × 8 butterflies, 2 × 16 products, 2 × 5 outputs.
    for (const d of r.dispatches) expect(d.workgroups).toEqual([1, 1, 1]);
    const pass = r.dispatches[1];
    expect(pass.sources.at(-1)).toBe('s4/fftConv.wgsl');
    expect(pass.sources).toContain('s4/fftConvParams.wgsl');
    expect(pass.prelude).toContain('const T_SPEC: u32 = 2u;');
    expect(r.dispatches[5].prelude).toContain('const PHASE_PRODUCT: u32 = 0u;');
    const bound = Object.fromEntries(pass.bindings.map((b) => [b.name, b]));
    expect(Object.keys(bound).sort()).toEqual(['dst', 'prm', 'src', 'trace', 'tw']);
    expect(bound.src).toMatchObject({ access: 'read', bytes: 4 * 16 * 8, label: 'fftConv.specA' });
    expect(bound.dst).toMatchObject({ access: 'read_write', label: 'fftConv.specB' });
    expect(bound.prm.access).toBe('uniform');
    // The passes ping-pong: each reads what the one before wrote.
    const src = (i: number) => r.dispatches[i].bindings.find((b) => b.name === 'src')?.label;
    expect([1, 2, 3, 4].map(src)).toEqual([
      'fftConv.specA',
      'fftConv.specB',
      'fftConv.specA',
      'fftConv.specB',
    ]);
    const unpack = r.dispatches.at(-1)?.bindings.find((b) => b.name === 'y');
    // y (B, H, L): 40 bytes, rounded up to 16.
    expect(unpack).toMatchObject({ access: 'read_write', bytes: 48 });
    expect(gpu.liveBuffers.size).toBe(before);
  });
});

// On SwiftShader a workgroup with barriers costs about 0.2 ms, so the diagonal scan and the Vandermonde
// product (the same gridFor + workgroupIndex path as the direct convolution) are left to the golden runs.
describe('S4 grids folded past 65,535 workgroups', () => {
  it(`runs the direct convolution over B·H = ${R} rows of L=1 (y = K_0 u)`, async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const rng = new Rng(1);
    const x = { K: rng.normals(R), u: rng.normals(R) };
    const r = await ssmConvGpu(gpu, { B: 1, H: R, L: 1 }, x);
    expect(r.dispatches[0].workgroups).toEqual([35001, 2, 1]);
    ok(
      r.y,
      x.K.map((k, i) => k * x.u[i]),
    );
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('fills HiPPO-LegS for N=2049 (65,601 workgroups of 64 entries of A)', async () => {
    const gpu = await testGpu();
    const N = 2049;
    const r = await hippoLegsGpu(gpu, N);
    expect(r.dispatches[0].workgroups).toEqual([32801, 2, 1]);
    const want = hippoLegs(N);
    ok(r.A, want.A, 1e-6);
    ok(r.B, want.B, 1e-6);
  });
});
