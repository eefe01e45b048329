// Golden adapters for the HiPPO / S4 / S4D family. Shapes come from the case: a 2-D A (or Ā) is dense,
// a 1-D one is diagonal (complex where the file says so; complex outputs are returned as {data, imag}).

import { discretizeDenseGpu } from '../../programs/s4/discretizeDense';
import { diagScanGpu, s4dScanGpu } from '../../programs/s4/diagScan';
import { discretizeDiagGpu } from '../../programs/s4/discretizeDiag';
import { fftConvGpu } from '../../programs/s4/fftConv';
import { hippoLegsGpu } from '../../programs/s4/hippoLegs';
import { hippoLegsOnlineGpu } from '../../programs/s4/hippoLegsOnline';
import { ONLINE_DISCS, type OnlineDisc } from '../../programs/s4/hippoOnlineKernels';
import { s4dKernelGpu } from '../../programs/s4/s4dKernel';
import { s4KernelDenseGpu, s4KernelDiagGpu } from '../../programs/s4/s4Kernel';
import { s4PipelineGpu } from '../../programs/s4/s4Pipeline';
import { ssmConvGpu } from '../../programs/s4/ssmConv';
import { ssmScanGpu } from '../../programs/s4/ssmScan';
import { causalConv } from '../../reference/conv';
import {
  type CVec,
  type Disc,
  discretizeBilinearDense,
  discretizeDiag,
  discretizeZohDense,
} from '../../reference/discretize';
import { hippoLegs } from '../../reference/hippo';
import { hippoLegsOnline } from '../../reference/hippoOnline';
import { fftConv } from '../../reference/fft';
import { s4KernelDense, s4KernelDiag, s4Pipeline, ssmScanDense, ssmScanDiag } from '../../reference/s4';
import { logVandermonde, s4dConvLayer, s4dKernel, s4dMinimalKernel, s4dScan } from '../../reference/s4d';
import type { GArray, GoldenAdapter, GoldenCase } from '../format';
import { f32, param } from '../format';

const cv = (a: GArray): CVec => ({ re: a.data, im: a.imag ?? new Float64Array(a.data.length) });
const out = (c: CVec) => ({ data: c.re, imag: c.im });
const dense = (a: GArray) => a.shape.length === 2;
const lastDim = (a: GArray) => a.shape[a.shape.length - 1] ?? a.data.length;
/** Dense HiPPO powers amplify f32 rounding (golden README, subtlety 12). */
const denseTol = (key: string) => (c: GoldenCase) => (dense(c.inputs[key]) ? 1e-3 : 1e-4);

function discretizeAdapter(disc: Disc): GoldenAdapter {
  const ref = disc === 'zoh' ? discretizeZohDense : discretizeBilinearDense;
  return {
    cpu: (c) => {
      const { A, B } = c.inputs;
      const dt = param(c, 'dt', 0);
      if (dense(A)) return ref(A.data, B.data, dt);
      const r = discretizeDiag(cv(A), cv(B), [dt], disc);
      return { Abar: out(r.Abar), Bbar: out(r.Bbar) };
    },
    gpu: async (gpu, c) => {
      const { A, B } = c.inputs;
      const dt = param(c, 'dt', 0);
      if (dense(A)) {
        const r = await discretizeDenseGpu(gpu, f32(A), f32(B), dt, disc);
        return { Abar: r.Abar, Bbar: r.Bbar };
      }
      const r = await discretizeDiagGpu(gpu, A, B, [dt], disc);
      return { Abar: r.Abar, Bbar: r.Bbar };
    },
  };
}

/** hippo_legs_online's f (L,), N, discretization, and whether the case carries the stacked transitions. */
function onlineCase(c: GoldenCase) {
  const f = c.inputs.f;
  if (f?.shape.length !== 1) throw new Error('hippo_legs_online: needs the input f of shape (L,)');
  const N = Number(param(c, 'N', 0));
  if (!Number.isInteger(N) || N < 1)
    throw new Error(`hippo_legs_online: N must be an integer >= 1 (got ${N})`);
  const disc = param<OnlineDisc>(c, 'discretization', 'bilinear');
  if (!ONLINE_DISCS.includes(disc)) throw new Error(`hippo_legs_online: unknown discretization ${disc}`);
  return { f, N, disc, stacked: 'A_stacked' in c.outputs || 'B_stacked' in c.outputs };
}

export const s4Adapters: Record<string, GoldenAdapter> = {
  ssm_conv: {
    cpu: (c) => ({ y: causalConv(c.inputs.K.data, c.inputs.u.data, 1, 1, c.inputs.u.data.length) }),
    gpu: async (gpu, c) => {
      const L = c.inputs.u.data.length;
      const { y } = await ssmConvGpu(gpu, { B: 1, H: 1, L }, { K: f32(c.inputs.K), u: f32(c.inputs.u) });
      return { y };
    },
  },
  hippo_legs: {
    cpu: (c) => hippoLegs(param(c, 'N', 0)),
    gpu: async (gpu, c) => {
      const { A, B } = await hippoLegsGpu(gpu, param(c, 'N', 0));
      return { A, B };
    },
  },
  discretize_zoh: discretizeAdapter('zoh'),
  discretize_bilinear: discretizeAdapter('bilinear'),
  s4_kernel: {
    cpu: (c) => {
      const { Abar, Bbar, C } = c.inputs;
      const L = param(c, 'L', 0);
      if (dense(Abar)) return { K: s4KernelDense(Abar.data, Bbar.data, C.data, L) };
      return { K: out(s4KernelDiag(cv(Abar), cv(Bbar), cv(C), L)) };
    },
    gpu: async (gpu, c) => {
      const { Abar, Bbar, C } = c.inputs;
      const L = param(c, 'L', 0);
      if (dense(Abar)) return { K: (await s4KernelDenseGpu(gpu, f32(Abar), f32(Bbar), f32(C), L)).K };
      return { K: await s4KernelDiagGpu(gpu, Abar, Bbar, C, L) };
    },
    tolerance: denseTol('Abar'),
  },
  ssm_scan: {
    cpu: (c) => {
      const { Abar, Bbar, C, u, x0 } = c.inputs;
      if (dense(Abar)) return ssmScanDense(Abar.data, Bbar.data, C.data, u.data, x0?.data);
      const r = ssmScanDiag(cv(Abar), cv(Bbar), cv(C), u.data, x0 ? cv(x0) : null);
      return { y: out(r.y), x_final: out(r.x_final) };
    },
    gpu: async (gpu, c) => {
      const { Abar, Bbar, C, u, x0 } = c.inputs;
      if (!dense(Abar)) {
        const r = await diagScanGpu(gpu, Abar, Bbar, C, u.data, 1, u.data.length, x0 ?? null);
        return { y: r.y, x_final: r.x_final };
      }
      const r = await ssmScanGpu(gpu, f32(Abar), f32(Bbar), f32(C), f32(u), { x0: x0 ? f32(x0) : null });
      return { y: r.y, x_final: r.x_final };
    },
    tolerance: denseTol('Abar'),
  },
  s4d_kernel: {
    cpu: (c) => {
      const { A, B, C, dt } = c.inputs;
      return { K: s4dKernel(cv(A), cv(B), cv(C), dt.data, param(c, 'L', 0), param<Disc>(c, 'disc', 'zoh')) };
    },
    gpu: async (gpu, c) => {
      const { A, B, C, dt } = c.inputs;
      const disc = param<Disc>(c, 'disc', 'zoh');
      if (disc !== 'zoh' && disc !== 'bilinear') throw new Error(`s4d_kernel: unknown disc ${disc}`);
      return { K: (await s4dKernelGpu(gpu, disc === 'zoh' ? 0 : 1, A, B, C, dt.data, param(c, 'L', 0))).K };
    },
  },
  s4d_minimal_kernel: {
    cpu: (c) => {
      const { log_dt, C, log_A_real, A_imag } = c.inputs;
      return { K: s4dMinimalKernel(log_dt.data, cv(C), log_A_real.data, A_imag.data, param(c, 'L', 0)) };
    },
    gpu: async (gpu, c) => {
      const { log_dt, C, log_A_real, A_imag } = c.inputs;
      const A = { data: log_A_real.data, imag: A_imag.data };
      const ones = { data: new Float64Array(C.data.length).fill(1) };
      return { K: (await s4dKernelGpu(gpu, 2, A, ones, C, log_dt.data, param(c, 'L', 0))).K };
    },
  },
  s4_pipeline: {
    cpu: (c) => {
      const { A, B, C, u } = c.inputs;
      const L = param(c, 'L', u.data.length);
      return s4Pipeline(A.data, B.data, C.data, u.data, param(c, 'dt', 0), L, param<Disc>(c, 'disc', 'zoh'));
    },
    gpu: async (gpu, c) => {
      const { A, B, C, u } = c.inputs;
      const p = {
        N: B.data.length,
        L: param(c, 'L', u.data.length),
        dt: param(c, 'dt', 0),
        disc: param<Disc>(c, 'disc', 'zoh'),
      };
      return (await s4PipelineGpu(gpu, p, { A: f32(A), B: f32(B), C: f32(C), u: f32(u) })).outputs;
    },
    tolerance: denseTol('A'),
  },
  ssm_conv_fft: {
    cpu: (c) => {
      const { K, u } = c.inputs;
      const L = lastDim(u);
      const H = K.data.length / L;
      return { y: fftConv(K.data, u.data, u.data.length / (H * L), H, L) };
    },
    gpu: async (gpu, c) => {
      const { K, u } = c.inputs;
      const L = lastDim(u);
      const H = K.data.length / L;
      return { y: (await fftConvGpu(gpu, { B: u.data.length / (H * L), H, L }, { K: f32(K), u: f32(u) })).y };
    },
  },
  s4d_conv_layer: {
    cpu: (c) => {
      const { u, K, D } = c.inputs;
      const [Bt, H, L] = u.shape;
      return { y: s4dConvLayer(u.data, K.data, D.data, Bt, H, L) };
    },
    gpu: async (gpu, c) => {
      const { u, K, D } = c.inputs;
      const [B, H, L] = u.shape;
      return { y: (await fftConvGpu(gpu, { B, H, L }, { K: f32(K), u: f32(u), D: f32(D) })).y };
    },
  },
  s4d_scan: {
    cpu: (c) => {
      const { A, B, C, dt, u } = c.inputs;
      return { y: s4dScan(cv(A), cv(B), cv(C), dt.data, u.data, lastDim(u), param<Disc>(c, 'disc', 'zoh')) };
    },
    gpu: async (gpu, c) => {
      const { A, B, C, dt, u } = c.inputs;
      const disc = param<Disc>(c, 'disc', 'zoh');
      return { y: (await s4dScanGpu(gpu, A, B, C, dt.data, u.data, lastDim(u), disc)).y };
    },
  },
  log_vandermonde_naive: {
    cpu: (c) => {
      const r = logVandermonde(cv(c.inputs.v), cv(c.inputs.x), param(c, 'L', 0), param(c, 'conj', true));
      return { out: param(c, 'conj', true) ? r.re : out(r) };
    },
    gpu: async (gpu, c) => {
      const { v, x } = c.inputs;
      const conj = param(c, 'conj', true);
      const ones = { data: new Float64Array(v.data.length).fill(1) };
      const r = await s4dKernelGpu(gpu, 4, x, ones, v, [1], param(c, 'L', 0), 2);
      return { out: conj ? r.K : r.Kc };
    },
  },
  hippo_legs_online: {
    cpu: (c) => {
      const { f, N, disc, stacked } = onlineCase(c);
      const r = hippoLegsOnline(f.data, N, disc);
      const out = { coefficients: r.coefficients, reconstruction: r.reconstruction };
      return stacked ? { ...out, A_stacked: r.Astacked, B_stacked: r.Bstacked } : out;
    },
    gpu: async (gpu, c) => {
      const { f, N, disc, stacked } = onlineCase(c);
      const r = await hippoLegsOnlineGpu(gpu, f32(f), N, disc, { stacked });
      const out = { coefficients: r.coefficients, reconstruction: r.reconstruction };
      return stacked && r.Astacked && r.Bstacked
        ? { ...out, A_stacked: r.Astacked, B_stacked: r.Bstacked }
        : out;
    },
  },
};
