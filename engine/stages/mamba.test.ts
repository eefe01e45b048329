// The Mamba block in one submission: it equals reference/blocks.ts mambaBlock at odd sizes (both carry
// forms); its scan equals the selective scan program run on the block's own intermediates; each sequence
// decoded token by token (causal conv1d update + selective state update, float64) equals the whole
// sequence; and the block is causal.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import { linear, transposeLast } from '../reference/blocks';
import { causalConv1dUpdate } from '../reference/causalConv1d';
import { selectiveStateUpdate } from '../reference/mamba';
import { relCheck } from '../util/compare';
import { selectiveScanSequentialProgram } from '../programs/mamba/selectiveScanSequential';
import {
  type MambaStageInputs,
  type MambaStageParams,
  mambaScanParams,
  program,
  validateMambaStageParams,
} from './mamba';

const TOL = 1e-4;
const P: MambaStageParams = { batch: 2, L: 23, dModel: 7, dInner: 10, N: 5, dConv: 3, dtRank: 2, chunk: 8 };

/** Token-by-token decode of one sequence (float64): in_proj, conv update, x_proj, dt_proj, state update, out_proj. */
function decode(p: MambaStageParams, x: MambaStageInputs, b: number): Float64Array {
  const { L, dModel: M, dInner: D, N, dConv: W, dtRank: R } = p;
  let conv: ArrayLike<number> = new Float64Array(D * (W - 1));
  let state: ArrayLike<number> = new Float64Array(D * N);
  const A = Float64Array.from(x.Alog, (v) => -Math.exp(v));
  const out = new Float64Array(L * M);
  for (let t = 0; t < L; t++) {
    const h = x.h.subarray((b * L + t) * M, (b * L + t + 1) * M);
    const xz = linear(h, x.inProj, 1, M, 2 * D, x.inProjBias);
    const c = causalConv1dUpdate(
      { batch: 1, D, W, S: W - 1, silu: true },
      xz.subarray(0, D),
      conv,
      x.conv,
      x.convBias ?? undefined,
    );
    conv = c.newConvState;
    const dbl = linear(c.out, x.xProj, 1, D, R + 2 * N);
    const dt = linear(dbl.subarray(0, R), x.dtProj, 1, R, D);
    const s = selectiveStateUpdate(
      { batch: 1, H: 1, P: D, N, G: 1, dtSoftplus: true },
      {
        state,
        x: c.out,
        dt,
        A,
        B: dbl.subarray(R, R + N),
        C: dbl.subarray(R + N),
        Dskip: x.D,
        z: xz.subarray(D),
        dtBias: x.dtProjBias,
      },
    );
    state = s.newState;
    out.set(linear(s.out, x.outProj, 1, D, M, x.outProjBias), t * M);
  }
  return out;
}

describe('mamba stage: the whole block in one submission', () => {
  for (const carry of ['passes', 'chained'] as const) {
    it(`equals Mamba.forward (reference/blocks.ts) with every intermediate, B=2, L=23, d_model=7, d_inner=10, N=5, d_conv=3, dt_rank=2 (${carry} carries)`, async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      const p = { ...P, carry };
      const x = {
        ...program.makeInputs(p, 5),
        inProjBias: new Float32Array(20).fill(0.1),
        outProjBias: new Float32Array(7).fill(-0.2),
      };
      const r = await program.run(gpu, p, x);
      const want = program.reference(p, x);
      for (const k of Object.keys(want)) expect(relCheck(r.outputs[k], want[k], TOL).ok, k).toBe(true);
      const labels = r.dispatches.map((d) => d.label);
      expect(labels[0]).toBe('matmul.tile');
      expect(labels).toContain('causalConv1d.tile');
      expect(labels.filter((l) => l === 'matmul.tile')).toHaveLength(4);
      expect(labels.at(-1)).toBe('matmul.tile');
      expect(labels.filter((l) => l.startsWith('selectiveScanChunked'))).toHaveLength(
        carry === 'passes' ? 3 : 1,
      );
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it("the block's scan equals the selective scan program (sequential form) run on the block's own u, δ, z, B, C", async () => {
    const gpu = await testGpu();
    const x = program.makeInputs(P, 6);
    const { outputs: o } = await program.run(gpu, P, x);
    const { batch, L, dInner: D } = P;
    const z = new Float32Array(batch * D * L);
    for (let b = 0; b < batch; b++) z.set(o.xz.subarray((2 * b + 1) * D * L, (2 * b + 2) * D * L), b * D * L);
    const sp = mambaScanParams(P);
    const scan = await selectiveScanSequentialProgram.run(gpu, sp, {
      u: o.xConv,
      delta: o.dt,
      A: Float32Array.from(x.Alog, (v) => -Math.exp(v)),
      B: o.B,
      C: o.C,
      Dskip: x.D,
      z,
      deltaBias: x.dtProjBias,
    });
    expect(relCheck(transposeLast(scan.outputs.out, batch, D, L), o.y, TOL).ok).toBe(true);
  });

  it('each sequence decoded token by token (conv1d update + selective state update) equals the whole sequence', async () => {
    const gpu = await testGpu();
    const x = program.makeInputs(P, 7);
    const { outputs } = await program.run(gpu, P, x);
    const per = P.L * P.dModel;
    for (let b = 0; b < P.batch; b++)
      expect(
        relCheck(outputs.out.subarray(b * per, (b + 1) * per), decode(P, x, b), TOL).ok,
        `sequence ${b}`,
      ).toBe(true);
  });

  it('is causal: changing token 11 of sequence 1 changes no output before it, nor sequence 0', async () => {
    const gpu = await testGpu();
    const x = program.makeInputs(P, 8);
    const a = (await program.run(gpu, P, x)).outputs.out;
    const h = Float32Array.from(x.h);
    const M = P.dModel;
    for (let i = 0; i < M; i++) h[(P.L + 11) * M + i] += 1;
    const b = (await program.run(gpu, P, { ...x, h })).outputs.out;
    expect(Array.from(b.subarray(0, (P.L + 11) * M))).toEqual(Array.from(a.subarray(0, (P.L + 11) * M)));
    expect(relCheck(b.subarray((P.L + 11) * M), a.subarray((P.L + 11) * M), 1e-3).ok).toBe(false);
  });

  it('refuses sizes outside its limits, naming the parameter', () => {
    expect(() => validateMambaStageParams({ ...P, dConv: 0 })).toThrow(/dConv must be an integer in 1\.\.8/);
    expect(() => validateMambaStageParams({ ...P, L: 1.5 })).toThrow(/L must be an integer/);
  });
});
