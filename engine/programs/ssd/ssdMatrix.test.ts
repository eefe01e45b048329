// ssdMatrix: its tiles against the device's limits, its refusal where the adapter has no subgroup matrices
// (SwiftShader here), and, where it has them (the H200), its outputs against the float64 chunked reference
// and against the f32 ssdFast on the same GPU: odd T, batch 2, groups, initial states, P and N past one
// tile, chunks of 16 to 128, every subgroup layout.

import { describe, expect, it } from 'vitest';
import { matrixUnfit } from '../../gpu/matrix';
import { testGpu } from '../../node/testGpu';
import { ssdChunked } from '../../reference/ssdChunked';
import { expectClose } from '../../util/testing';
import { makeSsdInputs } from './ssdChunked';
import { ssdFastGpu } from './ssdFast';
import {
  matrixTileBytes,
  type SsdMatrixParams,
  ssdMatrixGpu,
  ssdMatrixProgram,
  ssdMatrixTiles,
  wholeTiles,
} from './ssdMatrix';

const TOL = ssdMatrixProgram.tolerance;
const lim = (bytes: number, invocations = 1024) => ({
  maxComputeWorkgroupStorageSize: bytes,
  maxComputeInvocationsPerWorkgroup: invocations,
});

describe('chunked SSD on the matrix units: tiles and refusals', () => {
  it('fits its tiles to the workgroup memory and invocations it is given, 16 rows per subgroup row', () => {
    for (const Q of [1, 8, 16, 17, 32, 64, 100, 128, 256])
      for (const SGC of [1, 2, 4] as const)
        for (const bytes of [16384, 32768, 49152]) {
          let t: ReturnType<typeof ssdMatrixTiles>;
          try {
            t = ssdMatrixTiles(lim(bytes), Q, { SGC, KS: 64 });
          } catch (err) {
            expect(String(err)).toMatch(/does not fit/);
            continue;
          }
          expect(matrixTileBytes(t)).toBeLessThanOrEqual(bytes);
          expect(t.TM % 16).toBe(0);
          expect(t.WG).toBe(32 * (t.TM / 16) * SGC);
          // Whole rounds of staging: each invocation stages a whole number of elements of each slice.
          expect((t.KS * t.TM) % t.WG).toBe(0);
          expect((t.KS * t.TN) % t.WG).toBe(0);
        }
    // The H200's 48 KiB holds 64×64 tiles with the whole 64-long reduction staged at once (35.6 KB).
    expect(ssdMatrixTiles(lim(49152), 64)).toEqual({ TM: 64, TN: 64, SGC: 2, KS: 64, WG: 256, QP: 64 });
    // 16 KiB (the WebGPU default) cannot hold the 64×64 f32 output tile.
    expect(() => ssdMatrixTiles(lim(16384), 64)).toThrow(/does not fit/);
    // Four subgroups across 64-row tiles is 512 invocations: refused where only 256 are allowed.
    expect(() => ssdMatrixTiles(lim(49152, 256), 64, { SGC: 4, KS: 64 })).toThrow(/512 invocations/);
    expect(() => ssdMatrixTiles(lim(49152), 64, { SGC: 3 as 2, KS: 64 })).toThrow(/SGC must be/);
    expect(() => ssdMatrixTiles(lim(49152), 64, { SGC: 2, KS: 24 })).toThrow(/multiple of 16/);
  });

  it('stores straight from the matrices only where every state, C·Bᵀ and output tile is whole', () => {
    const t = { TM: 64, TN: 64 };
    const d = { batch: 1, T: 4096, H: 32, P: 64, N: 64, G: 1 };
    expect(wholeTiles(d, 64, t)).toBe(true);
    expect(wholeTiles(d, 128, t)).toBe(true);
    expect(wholeTiles({ ...d, T: 4000 }, 64, t)).toBe(false); // a short last chunk
    expect(wholeTiles({ ...d, P: 96 }, 64, t)).toBe(false);
    expect(wholeTiles({ ...d, N: 16 }, 64, t)).toBe(false);
    expect(wholeTiles(d, 32, { TM: 32, TN: 64 })).toBe(false); // C·Bᵀ tiles of a 32-long chunk
  });

  it('refuses on an adapter without matrices (SwiftShader here), naming the reason and leaving no buffer', async () => {
    const gpu = await testGpu();
    const why = matrixUnfit(gpu);
    if (why === null) return; // the H200: the results below run instead
    const p = { batch: 1, T: 8, H: 2, P: 4, N: 4, G: 1, Q: 4 };
    const before = gpu.liveBuffers.size;
    await expect(ssdMatrixProgram.run(gpu, p, makeSsdInputs(p, 1))).rejects.toThrow(why);
    await expect(ssdMatrixGpu(gpu, { ...p, G: 3 }, makeSsdInputs(p, 1))).rejects.toThrow(/must divide heads/);
    expect(gpu.liveBuffers.size).toBe(before);
  });
});

describe('chunked SSD on the matrix units: results', async () => {
  const gpu = await testGpu();
  const cases: SsdMatrixParams[] = [
    { batch: 1, T: 256, H: 2, P: 64, N: 64, G: 1, Q: 64 },
    { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q: 64, withInit: true },
    { batch: 2, T: 150, H: 4, P: 70, N: 72, G: 2, Q: 64, withInit: true, shape: { SGC: 1, KS: 32 } },
    { batch: 1, T: 333, H: 2, P: 16, N: 16, G: 1, Q: 16, withInit: true, shape: { SGC: 4, KS: 16 } },
    { batch: 1, T: 200, H: 2, P: 64, N: 128, G: 1, Q: 128, withInit: true },
    { batch: 2, T: 90, H: 3, P: 16, N: 64, G: 3, Q: 32, shape: { SGC: 4, KS: 64 } },
    { batch: 1, T: 40, H: 2, P: 6, N: 5, G: 1, Q: 17 },
    // Every tile whole: the results go straight from the matrices to storage.
    { batch: 2, T: 1024, H: 4, P: 64, N: 64, G: 2, Q: 64, withInit: true },
    { batch: 1, T: 512, H: 2, P: 128, N: 128, G: 1, Q: 128 },
  ];
  for (const p of cases)
    it.skipIf(matrixUnfit(gpu) !== null)(
      `matches the f64 reference and the f32 ssdFast: ${JSON.stringify(p)}`,
      async () => {
        const x = makeSsdInputs(p, 21);
        const before = gpu.liveBuffers.size;
        const got = await ssdMatrixGpu(gpu, p, x);
        expect(gpu.liveBuffers.size).toBe(before);
        expect(got.tiles.direct).toBe(wholeTiles(p, Math.min(p.Q, p.T), got.tiles));
        expect(got.dispatches.map((d) => d.label)).toEqual([
          'ssdMatrix.prep',
          'ssdFast.pass',
          'ssdMatrix.scan',
        ]);
        const ref = ssdChunked(p, Math.min(p.Q, p.T), x);
        expectClose(got.Y, ref.Y, TOL, 'Y vs f64');
        expectClose(got.finalState, ref.finalState, TOL, 'final state vs f64');
        const f32 = await ssdFastGpu(gpu, { ...p, shape: undefined }, x);
        expectClose(got.Y, f32.Y, TOL, 'Y vs ssdFast');
        expectClose(got.finalState, f32.finalState, TOL, 'final state vs ssdFast');
      },
    );
});
