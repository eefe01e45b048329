// The family's dispatch builders on buffers: the Mamba block's front half (causal conv1d → SiLU → fused
// selective scan) chained in one submission equals the CPU references composed; the records of what ran;
// a grid folded past 65,535 workgroups.

import { describe, expect, it } from 'vitest';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { testGpu } from '../../node/testGpu';
import { type CausalConv1dParams, causalConv1d } from '../../reference/causalConv1d';
import { type SelectiveScanParams, selectiveScan } from '../../reference/mamba';
import { silu } from '../../reference/math';
import { relCheck } from '../../util/compare';
import { activationDispatch } from './activations';
import { causalConv1dDispatch, causalConv1dGpu, makeConvInputs, uploadConv1d } from './causalConv1d';
import { makeScanInputs, packScan, scanOutputs, stateLength } from './common';
import { selectiveScanChunkedDispatch, selectiveScanChunkedGpu } from './selectiveScanChunked';
import { traceBuffer } from '../../trace/events';

const TOL = 1e-4;

describe('Mamba dispatch builders on buffers', () => {
  for (const carry of ['chained', 'passes'] as const) {
    it(`conv1d → SiLU → fused scan (${carry} carries) in ONE submission equals the CPU references composed, for B=2, D=5, L=37, W=4, N=7, chunk=16`, async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      const cp: CausalConv1dParams = { batch: 2, D: 5, L: 37, W: 4, silu: false };
      const sp: SelectiveScanParams = {
        batch: 2,
        D: 5,
        L: 37,
        N: 7,
        complex: false,
        bGroups: 1,
        cGroups: 1,
        deltaSoftplus: true,
        chunk: 16,
        carry,
      };
      const cx = makeConvInputs(cp, 61);
      const sx = makeScanInputs(sp, 62);
      const n = sp.batch * sp.D * sp.L;
      // CPU: u = silu(conv1d(x)), then the scan on u.
      const u = Float64Array.from(causalConv1d(cp, cx).out, silu);
      const want = selectiveScan(sp, { ...sx, u });
      const scope = new BufferScope(gpu, 'mambaChain');
      try {
        const conv = uploadConv1d(scope, cp, cx);
        // seq = u | δ | z: u is left zero here and written by the SiLU dispatch, on the device.
        const scan = { ...packScan(scope, sp, { ...sx, u: new Float32Array(n) }), ...scanOutputs(scope, sp) };
        const dispatches = [
          await causalConv1dDispatch(gpu, scope, cp, conv),
          await activationDispatch(gpu, scope, 'silu', n, { x: conv.out, y: scan.seq }),
          ...(await selectiveScanChunkedDispatch(gpu, scope, sp, { ...scan, trace: traceBuffer(scope, 1) })),
        ];
        const run = await runDispatches(gpu, 'mambaChain', dispatches);
        expect(run.dispatches.map((d) => d.label)).toEqual([
          'causalConv1d.tile',
          'activation.silu.map',
          ...(carry === 'passes'
            ? ['selectiveScanChunked.aggregate', 'selectiveScanChunked.carry', 'selectiveScanChunked.apply']
            : ['selectiveScanChunked.fused']),
        ]);
        // The SiLU reads what the conv wrote and writes where the scan reads u.
        const [c, a, s] = run.dispatches;
        const bound = (r: typeof c, name: string) => r.bindings.find((b) => b.name === name)?.label;
        expect(bound(a, 'x')).toBe(bound(c, 'outBuf'));
        expect(bound(a, 'y')).toBe(bound(s, 'seq'));
        expect(relCheck(await readF32(gpu, scan.out, n), want.out, TOL).ok).toBe(true);
        expect(relCheck(await readF32(gpu, scan.lastState, stateLength(sp)), want.lastState, TOL).ok).toBe(
          true,
        );
      } finally {
        scope.release();
      }
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('a run records its dispatches: kernel, sources, grid and the buffers bound by name (fused scan, B=1, D=3, L=20)', async () => {
    const gpu = await testGpu();
    const p: SelectiveScanParams = {
      batch: 1,
      D: 3,
      L: 20,
      N: 4,
      complex: false,
      bGroups: 1,
      cGroups: 1,
      deltaSoftplus: false,
      chunk: 8,
    };
    const r = await selectiveScanChunkedGpu(gpu, p, makeScanInputs(p, 63));
    expect(r.dispatches).toHaveLength(1);
    const [d] = r.dispatches;
    expect(d.label).toBe('selectiveScanChunked.fused');
    expect(d.sources).toContain('mamba/selectiveScanParams.wgsl');
    expect(d.workgroups).toEqual([3 * 3, 1, 1]);
    expect(d.bindings.map((b) => b.name)).toEqual([
      'p',
      'seq',
      'bc',
      'chan',
      'outBuf',
      'lastState',
      'carry',
      'trace',
    ]);
    expect(d.bindings.find((b) => b.name === 'seq')?.bytes).toBe(4 * 3 * 3 * 20);
    expect(d.prelude).toContain('const T_LAST_STATE: u32 = 6u;');
  });

  it('folds 70,001 (row, tile) workgroups of the causal conv1d past the 65,535 limit and equals the reference (B=1, D=70001, L=1, W=2)', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const p: CausalConv1dParams = { batch: 1, D: 70001, L: 1, W: 2, silu: true };
    const x = makeConvInputs(p, 64);
    const r = await causalConv1dGpu(gpu, p, x);
    const [wx, wy, wz] = r.dispatches[0].workgroups;
    const max = gpu.limits.maxComputeWorkgroupsPerDimension;
    expect(wx * wy * wz).toBeGreaterThanOrEqual(70001);
    expect(Math.max(wx, wy, wz)).toBeLessThanOrEqual(max);
    if (max < 70001) expect(wy * wz).toBeGreaterThan(1);
    const want = causalConv1d(p, x);
    expect(relCheck(r.out, want.out, TOL).ok).toBe(true);
    expect(relCheck(r.finalStates, want.finalStates, TOL).ok).toBe(true);
    expect(gpu.liveBuffers.size).toBe(before);
  });
});
