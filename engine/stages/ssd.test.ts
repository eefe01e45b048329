// The Mamba-2 block in one submission: it equals reference/blocks.ts mamba2Block at odd sizes (an MLP
// branch, groups, per-channel D, no rmsnorm, the norm before the gate, biases); its SSD equals the Mamba-2
// op program run on the block's own intermediates; each sequence decoded token by token (conv1d update +
// selective state update over heads + gated RMSNorm, float64) equals the whole sequence; it is causal.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import { linear, rmsNormGated } from '../reference/blocks';
import { causalConv1dUpdate } from '../reference/causalConv1d';
import { selectiveStateUpdate } from '../reference/mamba';
import { silu } from '../reference/math';
import { relCheck } from '../util/compare';
import { mamba2Program } from '../programs/ssd/mamba2Combined';
import { program, type SsdStageInputs, type SsdStageParams, ssdStageScanParams, ssdStageSizes } from './ssd';

const TOL = 1e-4;
const base = { batch: 2, L: 19, dModel: 6, dConv: 3, eps: 1e-5, chunk: 8 };
const CASES: Array<[string, SsdStageParams, (x: SsdStageInputs) => SsdStageInputs]> = [
  [
    'an MLP branch (d_mlp = 2), 3 groups, norm after the gate',
    { ...base, dInner: 14, H: 3, P: 4, N: 5, G: 3, rmsnorm: true, normBeforeGate: false },
    (x) => x,
  ],
  [
    'no rmsnorm (z gates the scan), per-channel D, biases',
    { ...base, dInner: 12, H: 4, P: 3, N: 4, G: 2, rmsnorm: false, normBeforeGate: false },
    (x) => ({
      ...x,
      D: Float32Array.from({ length: 12 }, (_, i) => 0.5 + i / 12),
      inProjBias: new Float32Array(
        ssdStageSizes({ ...base, dInner: 12, H: 4, P: 3, N: 4, G: 2, rmsnorm: false, normBeforeGate: false })
          .width,
      ).fill(0.05),
      outProjBias: new Float32Array(6).fill(0.3),
    }),
  ],
  [
    'the norm before the gate, groups of 3 features, no conv bias',
    { ...base, dInner: 12, H: 2, P: 6, N: 3, G: 1, rmsnorm: true, normBeforeGate: true, normGroupSize: 3 },
    (x) => ({ ...x, convBias: null, norm: Float32Array.from({ length: 12 }, (_, i) => 1 + 0.1 * i) }),
  ],
];

/** Token-by-token decode of sequence b (float64), as Mamba2.step does it. */
function decode(p: SsdStageParams, x: SsdStageInputs, b: number): Float64Array {
  const { L, dModel: M, dInner, H, P, N, G, dConv: W } = p;
  const { dSsm, dMlp, GN, convDim, width } = ssdStageSizes(p);
  const heads = (v: ArrayLike<number>) =>
    Float64Array.from({ length: H * P }, (_, i) => v[Math.floor(i / P)]);
  const A = Float64Array.from({ length: H * P * N }, (_, i) => -Math.exp(x.Alog[Math.floor(i / (P * N))]));
  const Dhp = x.D.length === H ? heads(x.D) : x.D;
  let conv: ArrayLike<number> = new Float64Array(convDim * (W - 1));
  let state: ArrayLike<number> = new Float64Array(H * P * N);
  const out = new Float64Array(L * M);
  for (let t = 0; t < L; t++) {
    const zx = linear(
      x.u.subarray((b * L + t) * M, (b * L + t + 1) * M),
      x.inProj,
      1,
      M,
      width,
      x.inProjBias,
    );
    const xbcIn = zx.subarray(2 * dMlp + dSsm, 2 * dMlp + dSsm + convDim);
    const c = causalConv1dUpdate(
      { batch: 1, D: convDim, W, S: W - 1, silu: true },
      xbcIn,
      conv,
      x.conv,
      x.convBias ?? undefined,
    );
    conv = c.newConvState;
    const z = zx.subarray(2 * dMlp, 2 * dMlp + dSsm);
    const s = selectiveStateUpdate(
      { batch: 1, H, P, N, G, dtSoftplus: true },
      {
        state,
        x: c.out.subarray(0, dSsm),
        dt: heads(zx.subarray(width - H)),
        A,
        B: c.out.subarray(dSsm, dSsm + GN),
        C: c.out.subarray(dSsm + GN),
        Dskip: Dhp,
        z: p.rmsnorm ? undefined : z,
        dtBias: heads(x.dtBias),
      },
    );
    state = s.newState;
    const opts = { eps: p.eps, groupSize: p.normGroupSize ?? dSsm / G, normBeforeGate: p.normBeforeGate };
    const y = p.rmsnorm
      ? rmsNormGated(s.out, dSsm, x.norm ?? new Float64Array(dSsm).fill(1), opts, z)
      : s.out;
    const yNorm = new Float64Array(dInner);
    for (let i = 0; i < dMlp; i++) yNorm[i] = silu(zx[i]) * zx[dMlp + i];
    yNorm.set(y, dMlp);
    out.set(linear(yNorm, x.outProj, 1, dInner, M, x.outProjBias), t * M);
  }
  return out;
}

describe('ssd stage: the whole Mamba-2 block in one submission', () => {
  CASES.forEach(([name, p, edit], i) => {
    it(`equals Mamba2.forward with every intermediate, and token-by-token decode equals the whole sequence: ${name} (B=2, L=19)`, async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      const x = edit(program.makeInputs(p, 20 + i));
      const r = await program.run(gpu, p, x);
      const want = program.reference(p, x);
      for (const k of Object.keys(want)) expect(relCheck(r.outputs[k], want[k], TOL).ok, k).toBe(true);
      const per = p.L * p.dModel;
      for (let b = 0; b < p.batch; b++)
        expect(
          relCheck(r.outputs.out.subarray(b * per, (b + 1) * per), decode(p, x, b), TOL).ok,
          `decode ${b}`,
        ).toBe(true);
      const labels = r.dispatches.map((d) => d.label);
      expect(labels[0]).toBe('matmul.tile');
      expect(labels).toEqual(
        expect.arrayContaining(['causalConv1d.tile', 'mamba2.prep', 'ssd.diag', 'mamba2.gate']),
      );
      expect(labels.includes('rmsNormGated.group')).toBe(p.rmsnorm);
      expect(labels.at(-1)).toBe('matmul.tile');
      expect(gpu.liveBuffers.size).toBe(before);
    });
  });

  it("the block's SSD equals the Mamba-2 op program run on the block's own x, dt, B, C (and z)", async () => {
    const gpu = await testGpu();
    for (const [, p, edit] of CASES.slice(0, 2)) {
      const x = edit(program.makeInputs(p, 30));
      const { outputs: o } = await program.run(gpu, p, x);
      const { dSsm, dMlp, GN, convDim, width } = ssdStageSizes(p);
      const rows = p.batch * p.L;
      const cols = (a: Float32Array | Float64Array, w: number, off: number, n: number) =>
        Float32Array.from({ length: rows * n }, (_, i) => a[Math.floor(i / n) * w + off + (i % n)]);
      const scan = await mamba2Program.run(gpu, ssdStageScanParams(p), {
        x: cols(o.xBC, convDim, 0, dSsm),
        dt: cols(o.zxbcdt, width, width - p.H, p.H),
        A: Float32Array.from(x.Alog, (v) => -Math.exp(v)),
        B: cols(o.xBC, convDim, dSsm, GN),
        C: cols(o.xBC, convDim, dSsm + GN, GN),
        D: x.D,
        z: p.rmsnorm ? null : cols(o.zxbcdt, width, 2 * dMlp, dSsm),
        dtBias: x.dtBias,
      });
      expect(relCheck(scan.outputs.out, o.ySsm, TOL).ok).toBe(true);
    }
  });

  it('is causal: changing token 7 of sequence 0 changes no output before it, nor sequence 1', async () => {
    const gpu = await testGpu();
    const p = CASES[0][1];
    const x = program.makeInputs(p, 40);
    const a = (await program.run(gpu, p, x)).outputs.out;
    const u = Float32Array.from(x.u);
    for (let i = 0; i < p.dModel; i++) u[7 * p.dModel + i] -= 1;
    const b = (await program.run(gpu, p, { ...x, u })).outputs.out;
    const cut = 7 * p.dModel;
    const seq1 = p.L * p.dModel;
    expect(Array.from(b.subarray(0, cut))).toEqual(Array.from(a.subarray(0, cut)));
    expect(Array.from(b.subarray(seq1))).toEqual(Array.from(a.subarray(seq1)));
    expect(relCheck(b.subarray(cut, seq1), a.subarray(cut, seq1), 1e-3).ok).toBe(false);
  });
});
