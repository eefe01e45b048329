import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { kernelCode } from '../../gpu/kernel';
import { testGpu } from '../../node/testGpu';
import { expectClose, expectLikeReference } from '../../util/testing';
import { flashAttentionProgram } from './flashAttention';
import { matrixUnfit } from '../../gpu/matrix';
import { flashAttentionMatrixProgram, matrixTileBytes, matrixTilesFor } from './flashAttentionMatrix';

/** A device's features as the kernel's checks read them. */
const withFeatures = (f: Partial<Gpu['features']>) => ({ features: { ...f } }) as unknown as Gpu;
const NVIDIA_LIKE = {
  shaderF16: true,
  subgroups: true,
  subgroupSize: 32,
  subgroupMatrix: [{ M: 16, N: 16, K: 16, component: 'f16', result: 'f32' }],
};

describe('FlashAttention-2 on the matrix units: where it runs', () => {
  it('says why it cannot run without 16×16×16 f16 → f32 matrices, f16, or one subgroup size of 32', () => {
    expect(matrixUnfit(withFeatures(NVIDIA_LIKE))).toBeNull();
    expect(matrixUnfit(withFeatures({ ...NVIDIA_LIKE, subgroupMatrix: undefined }))).toMatch(/16×16×16/);
    const f16only = [{ M: 16, N: 16, K: 16, component: 'f16', result: 'f16' }];
    expect(matrixUnfit(withFeatures({ ...NVIDIA_LIKE, subgroupMatrix: f16only }))).toMatch(/f32/);
    expect(matrixUnfit(withFeatures({ ...NVIDIA_LIKE, shaderF16: false }))).toMatch(/shader-f16/);
    expect(matrixUnfit(withFeatures({ ...NVIDIA_LIKE, subgroupSize: undefined }))).toMatch(/32/);
  });

  it('refuses on an adapter without them (SwiftShader here), naming the reason and leaving no buffer', async () => {
    const gpu = await testGpu();
    const why = matrixUnfit(gpu);
    // The refusal is only testable where the adapter lacks the matrices; the H200 check is the device script's.
    if (why === null) return;
    const p = { b: 1, sq: 8, sk: 8, h: 1, hk: 1, d: 16, causal: true };
    const before = gpu.liveBuffers.size;
    await expect(
      flashAttentionMatrixProgram.run(gpu, p, flashAttentionMatrixProgram.makeInputs(p, 1)),
    ).rejects.toThrow(why);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('keeps its tiles within the workgroup memory it is given, the Q tile inside the K/V tiles it is staged in', () => {
    for (const d of [16, 32, 64, 96, 128, 256])
      for (const budget of [16384, 32768, 49152]) {
        let t: { SG: number; BC: number };
        try {
          t = matrixTilesFor(d, {}, budget);
        } catch (err) {
          expect(String(err)).toMatch(/does not fit/);
          continue;
        }
        expect(matrixTileBytes(d, t)).toBeLessThanOrEqual(budget);
        expect(16 * t.SG).toBeLessThanOrEqual(2 * t.BC);
      }
    // The H200's 48 KiB holds the default 4 subgroups × 64 keys at d = 64 (44 KiB).
    expect(matrixTilesFor(64, {}, 49152)).toEqual({ SG: 4, BC: 64 });
    expect(matrixTileBytes(64, { SG: 4, BC: 64 })).toBe(45056);
    // 16 KiB (the WebGPU default) shrinks it.
    expect(matrixTilesFor(64, {}, 16384)).toEqual({ SG: 1, BC: 32 });
    expect(() => matrixTilesFor(72, {}, 49152)).toThrow(/multiple of 16/);
    expect(() => matrixTilesFor(64, { BC: 48 }, 49152)).toThrow(/multiple of 32/);
  });

  it('compiles with the extensions enabled and the subgroup-matrix uniformity diagnostic off, in that order', async () => {
    const code = await kernelCode({
      sources: ['attention/attentionCommon.wgsl'],
      enable: ['f16', 'chromium_experimental_subgroup_matrix'],
      diagnosticsOff: ['chromium.subgroup_matrix_uniformity'],
      prelude: 'const D: u32 = 64u;\n',
    });
    expect(code.startsWith('enable f16;\nenable chromium_experimental_subgroup_matrix;\n')).toBe(true);
    expect(code.indexOf('diagnostic(off, chromium.subgroup_matrix_uniformity);')).toBeLessThan(
      code.indexOf('const D'),
    );
  });
});

// Where the adapter has the matrix units (the H200 through Dawn), the kernel against the float64 reference and
// against the f32 kernel, on the shapes that stress its masks and tiles.
describe('FlashAttention-2 on the matrix units: results', async () => {
  const gpu = await testGpu();
  const cases = [
    { b: 1, sq: 100, sk: 100, h: 4, hk: 2, d: 64, causal: true },
    { b: 2, sq: 77, sk: 130, h: 4, hk: 1, d: 32, causal: true },
    { b: 2, sq: 130, sk: 77, h: 2, hk: 2, d: 16, causal: true },
    { b: 1, sq: 200, sk: 150, h: 2, hk: 1, d: 128, causal: false },
  ];
  for (const p of cases)
    it.skipIf(matrixUnfit(gpu) !== null)(
      `matches the reference and the f32 kernel: ${JSON.stringify(p)}`,
      async () => {
        const got = await expectLikeReference(gpu, flashAttentionMatrixProgram, p, 3);
        const x = flashAttentionMatrixProgram.makeInputs(p, 3);
        const f32 = await flashAttentionProgram.run(gpu, { ...p, Br: 16, Bc: 16 }, x);
        expectClose(
          got.outputs.out,
          f32.outputs.out,
          flashAttentionMatrixProgram.tolerance,
          'O vs the f32 kernel',
        );
      },
    );
});
