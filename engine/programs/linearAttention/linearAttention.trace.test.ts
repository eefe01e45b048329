// What the chunked linear-attention kernels record (bytes moved per tensor, checked against the formulas
// of the three passes) and the recurrent stepper against the full run.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import type { LaShape } from '../../reference/linearAttention';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { chunkedPlan, laChunkedGpu } from './linearAttentionChunked';
import { laRecurrentGpu } from './linearAttentionRecurrent';
import { LA_TRACE } from './common';
import { createLinearAttentionStepper, linearAttentionStepCount } from './linearAttentionStepper';
import { makeSimpleGlaInputs } from './simpleGla';

const p: LaShape = { B: 2, T: 203, H: 3, K: 5, V: 7 };

/** Expected bytes per (kind, tensor) of the chunked form, derived pass by pass. */
function expectedBytes(s: LaShape, C: number) {
  const { B, T, H, K, V } = s;
  const { NC, nVT, BR } = chunkedPlan(s, C);
  const f = 4;
  const stateBytes = K * V * f;
  // The output pass: per row tile [r0, r1) of chunk n, keys and values from the chunk start n·C up to r1,
  // and one read of S_before(n).
  let keyRows = 0;
  let tileCount = 0;
  for (let n = 0; n < NC; n++) {
    const end = Math.min(n * C + C, T);
    for (let r0 = n * C; r0 < end; r0 += BR) {
      keyRows += Math.min(r0 + BR, end) - n * C;
      tileCount++;
    }
  }
  return {
    'load:q': B * H * T * K * f,
    'load:k': B * H * (T * K * nVT + keyRows * K) * f,
    'load:v': B * H * (T * V + keyRows * V) * f,
    'write:states': 2 * B * H * NC * stateBytes, // ΔS_n from the state pass, S_before(n) from the scan
    'read:states': B * H * (NC + tileCount) * stateBytes, // the scan reads ΔS_n; each output tile reads S_before
    'read:s0': B * H * stateBytes,
    'store:o': B * T * H * V * f,
    'write:final_state': B * H * stateBytes,
  };
}

describe('chunked linear attention traces', () => {
  for (const C of [16, 64]) {
    it(`records Q/K/V chunk loads, state reads and writes and O stores matching the formulas (T=203, C=${C})`, async () => {
      const gpu = await testGpu();
      const x = { ...makeSimpleGlaInputs({ ...p, withInitialState: true }, 11), g: null };
      const r = await laChunkedGpu(gpu, p, x, { chunk: C, trace: true });
      const trace = r.trace;
      expect(trace).not.toBeNull();
      if (!trace) return;
      expect(trace.dropped).toBe(0);
      expect(bytesBy(trace)).toEqual(expectedBytes(p, C));
      // One state-passing phase per chunk for every scan workgroup, in chunk order.
      const scan = LA_TRACE.phases.indexOf('stateScan');
      const scanPhases = trace.events.filter((e) => e.kind === 'chunkPhase' && e.aux === scan);
      const { NC } = chunkedPlan(p, C);
      expect(scanPhases.length).toBe(p.B * p.H * Math.ceil((p.K * p.V) / 64) * NC);
      const firstWg = scanPhases.filter((e) => e.workgroup === scanPhases[0].workgroup).map((e) => e.offset);
      expect(firstWg).toEqual(Array.from({ length: NC }, (_, n) => n));
      // The instrumented variant computes the same numbers as the plain one.
      const plain = await laChunkedGpu(gpu, p, x, { chunk: C });
      expect(Array.from(r.o)).toEqual(Array.from(plain.o));
    });
  }
});

describe('linear-attention stepper', () => {
  it('stepping simple GLA one dispatch at a time reproduces the full recurrent run, and reset restarts it', async () => {
    const gpu = await testGpu();
    const s: LaShape = { B: 2, T: 23, H: 3, K: 5, V: 7 };
    const x = makeSimpleGlaInputs({ ...s, withInitialState: true }, 12);
    const full = await laRecurrentGpu(gpu, s, x, { scale: 0.5 });
    const before = gpu.liveBuffers.size;
    const stepper = await createLinearAttentionStepper(gpu, s, x, 0.5);
    expect(stepper.backend).toBe('webgpu');
    expect(stepper.count).toBe(linearAttentionStepCount(s));
    const { B, T, H, V } = s;
    let last = null;
    for (let t = 0; t < T; t++) {
      last = await stepper.step();
      expect(last.t).toBe(t);
      expect(stepper.k).toBe(t + 1);
      const want = new Float32Array(B * H * V);
      for (let b = 0; b < B; b++)
        for (let h = 0; h < H; h++)
          for (let j = 0; j < V; j++) want[(b * H + h) * V + j] = full.o[((b * T + t) * H + h) * V + j];
      expect(relCheck(last.o, want, 1e-5).ok, `o at t=${t}`).toBe(true);
    }
    expect(relCheck(last?.S ?? [], full.finalState, 1e-5).ok).toBe(true);
    await expect(stepper.step()).rejects.toThrow(/all 23 steps are done/);
    await stepper.reset();
    expect(stepper.k).toBe(0);
    const again = await stepper.step();
    const cpu = await createLinearAttentionStepper(null, s, x, 0.5);
    const first = await cpu.step();
    expect(cpu.backend).toBe('cpu');
    expect(relCheck(again.S, first.S, 1e-5).ok && relCheck(again.o, first.o, 1e-5).ok).toBe(true);
    stepper.dispose();
    expect(gpu.liveBuffers.size).toBe(before);
    await expect(stepper.step()).rejects.toThrow(/disposed/);
  });

  it('the CPU stepper counts T steps, refuses one more, and reset() starts again from S0', async () => {
    const s: LaShape = { B: 1, T: 4, H: 2, K: 3, V: 2 };
    const x = makeSimpleGlaInputs({ ...s, withInitialState: true }, 13);
    const cpu = await createLinearAttentionStepper(null, s, x, 0.5);
    expect(cpu.count).toBe(4);
    const first = await cpu.step();
    for (let t = 1; t < 4; t++) await cpu.step();
    await expect(cpu.step()).rejects.toThrow(/all 4 steps are done/);
    await cpu.reset();
    const again = await cpu.step();
    expect(Array.from(again.S)).toEqual(Array.from(first.S));
    cpu.dispose();
    await expect(cpu.step()).rejects.toThrow(/disposed/);
  });
});
