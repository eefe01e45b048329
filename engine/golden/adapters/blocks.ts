// Golden adapters for the whole blocks and the layers around the scans: mamba_block (engine/stages/
// mamba.ts), mamba2_block (engine/stages/ssd.ts) and rms_norm_gated (programs/layers), on both backends.
// Sizes come from the weights' torch shapes; absent biases and norm weights mean none (or ones).
// Required inputs are checked before each adapter runs (checked.ts, REQUIRED_INPUTS).

import {
  type RmsNormGatedParams,
  rmsNormGatedGpu,
  rmsNormGatedReference,
} from '../../programs/layers/rmsNormGated';
import { type MambaStageParams, program as mambaProgram } from '../../stages/mamba';
import { type SsdStageParams, program as ssdProgram } from '../../stages/ssd';
import type { GoldenAdapter, GoldenCase, GoldenOutputs } from '../format';
import { f32, param } from '../format';
import { caseAdapter } from './checked';

const opt = (c: GoldenCase, name: string) => (c.inputs[name] ? f32(c.inputs[name]) : null);

/** A stage's outputs under the golden names (snake_case), each read from the stage's camelCase name. */
const named =
  (golden: readonly string[]) =>
  (o: Record<string, ArrayLike<number>>): GoldenOutputs =>
    Object.fromEntries(golden.map((g) => [g, o[g.replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase())]]));

/** The weights the two blocks' state_dicts name alike. */
const blockWeights = (c: GoldenCase) => ({
  inProj: f32(c.inputs.in_proj_weight),
  inProjBias: opt(c, 'in_proj_bias'),
  conv: f32(c.inputs.conv1d_weight),
  convBias: opt(c, 'conv1d_bias'),
  Alog: f32(c.inputs.A_log),
  D: f32(c.inputs.D),
  outProj: f32(c.inputs.out_proj_weight),
  outProjBias: opt(c, 'out_proj_bias'),
});

function mambaCase(c: GoldenCase) {
  const [batch, L, dModel] = c.inputs.hidden_states.shape;
  const [dInner, N] = c.inputs.A_log.shape;
  const p: MambaStageParams = {
    batch,
    L,
    dModel,
    dInner,
    N,
    dConv: c.inputs.conv1d_weight.shape.at(-1) ?? 1,
    dtRank: c.inputs.dt_proj_weight.shape[1],
  };
  const x = {
    ...blockWeights(c),
    h: f32(c.inputs.hidden_states),
    xProj: f32(c.inputs.x_proj_weight),
    dtProj: f32(c.inputs.dt_proj_weight),
    dtProjBias: f32(c.inputs.dt_proj_bias),
  };
  return { p, x };
}

const mambaOut = named(['out', 'xz', 'x_conv', 'dt', 'delta', 'B', 'C', 'y']);

function rmsCase(c: GoldenCase): { p: RmsNormGatedParams; x: Parameters<typeof rmsNormGatedGpu>[2] } {
  const F = c.inputs.x.shape.at(-1) ?? 1;
  const p: RmsNormGatedParams = {
    rows: c.inputs.x.data.length / F,
    F,
    groupSize: param<number | null>(c, 'group_size', null),
    eps: Number(param(c, 'eps', 1e-6)),
    normBeforeGate: Boolean(param(c, 'norm_before_gate', true)),
  };
  return { p, x: { x: f32(c.inputs.x), weight: f32(c.inputs.weight), z: opt(c, 'z'), bias: opt(c, 'bias') } };
}

function mamba2Case(c: GoldenCase) {
  const [batch, L, dModel] = c.inputs.u.shape;
  const H = c.inputs.dt_bias.shape[0];
  const P = Number(param(c, 'headdim', 0));
  const p: SsdStageParams = {
    batch,
    L,
    dModel,
    dInner: c.inputs.out_proj_weight.shape[1],
    H,
    P,
    N: Number(param(c, 'd_state', 0)),
    G: Number(param(c, 'ngroups', 1)),
    dConv: c.inputs.conv1d_weight.shape.at(-1) ?? 1,
    rmsnorm: Boolean(param(c, 'rmsnorm', true)),
    normBeforeGate: Boolean(param(c, 'norm_before_gate', false)),
    normGroupSize: param<number | null>(c, 'norm_group_size', null),
    eps: Number(param(c, 'eps', 1e-5)),
  };
  const x = {
    ...blockWeights(c),
    u: f32(c.inputs.u),
    dtBias: f32(c.inputs.dt_bias),
    norm: opt(c, 'norm_weight'),
  };
  return { p, x };
}

const mamba2Out = named(['out', 'zxbcdt', 'xBC', 'dt', 'y_ssm', 'y_norm']);

export const blocksAdapters: Record<string, GoldenAdapter> = {
  mamba_block: caseAdapter(
    mambaCase,
    ({ p, x }) => mambaProgram.reference(p, x),
    async (gpu, { p, x }) => (await mambaProgram.run(gpu, p, x)).outputs,
    mambaOut,
  ),
  mamba2_block: caseAdapter(
    mamba2Case,
    ({ p, x }) => ssdProgram.reference(p, x),
    async (gpu, { p, x }) => (await ssdProgram.run(gpu, p, x)).outputs,
    mamba2Out,
  ),
  rms_norm_gated: caseAdapter(
    rmsCase,
    ({ p, x }) => ({ out: rmsNormGatedReference(p, x) }),
    async (gpu, { p, x }) => ({ out: (await rmsNormGatedGpu(gpu, p, x)).out }),
    (r: GoldenOutputs) => r,
  ),
};
