// Input checks run before every golden adapter: each required input of the function is present, and every
// array holds as many values as its shape says. A malformed case then fails with a note that names the
// input, instead of a TypeError from deep inside an adapter or a silently wrong result. And the shape most
// adapters have: a case read into program inputs once per backend, run there, its results named.

import type { Gpu } from '../../gpu/device';
import type { GoldenAdapter, GoldenCase, GoldenOutputs } from '../format';

const QKV = ['q', 'k', 'v'];
const SSD = ['X', 'A', 'B', 'C'];

/** Required inputs per reference function (the non-optional arguments of ../shared/golden/README.md). */
export const REQUIRED_INPUTS: Record<string, string[]> = {
  discretize_zoh: ['A', 'B'],
  discretize_bilinear: ['A', 'B'],
  s4_kernel: ['Abar', 'Bbar', 'C'],
  ssm_scan: ['Abar', 'Bbar', 'C', 'u'],
  ssm_conv: ['K', 'u'],
  s4_pipeline: ['A', 'B', 'C', 'u'],
  s4d_minimal_kernel: ['log_dt', 'C', 'log_A_real', 'A_imag'],
  s4d_kernel: ['A', 'B', 'C', 'dt'],
  s4d_conv_layer: ['u', 'K'],
  selective_scan_ref: ['u', 'delta', 'A', 'B', 'C'],
  selective_state_update_ref: ['state', 'x', 'dt', 'A', 'B', 'C'],
  causal_conv1d_ref: ['x', 'weight'],
  causal_conv1d_update_ref: ['x', 'conv_state', 'weight'],
  segsum: ['x'],
  ssd_minimal_discrete: SSD,
  ssd_naive_quadratic: SSD,
  ssd_chunk_scan_combined_ref: ['x', 'dt', 'A', 'B', 'C'],
  softmax_attention: QKV,
  flash_attention_tiled: QKV,
  linear_attention_recurrent: QKV,
  linear_attention_chunked: QKV,
  simple_gla_recurrent: [...QKV, 'g'],
  simple_gla_chunked: [...QKV, 'g'],
  simple_gla_parallel: [...QKV, 'g'],
  retention_parallel: QKV,
  gla_recurrent: [...QKV, 'gk'],
  rnn_tanh_step: ['x', 'W_ih', 'W_hh'],
  elman_rnn: ['x', 'W_ih_l0', 'W_hh_l0'],
  lstm: ['x', 'W_ih_l0', 'W_hh_l0'],
  rwkv6_recurrent: ['q', 'k', 'v', 'w', 'u'],
  attention_backward: [...QKV, 'dout'],
  attention_backward_tiled: [...QKV, 'dout'],
  hippo_legs_online: ['f'],
  rms_norm_gated: ['x', 'weight'],
  mamba_block: [
    'hidden_states',
    'in_proj_weight',
    'conv1d_weight',
    'x_proj_weight',
    'dt_proj_weight',
    'dt_proj_bias',
    'A_log',
    'D',
    'out_proj_weight',
  ],
  mamba2_block: ['u', 'in_proj_weight', 'conv1d_weight', 'dt_bias', 'A_log', 'D', 'out_proj_weight'],
};

/** Throws a clear error when a required input is missing or an array's length disagrees with its shape. */
export function checkCaseInputs(c: GoldenCase): void {
  const required = [...(REQUIRED_INPUTS[c.fn] ?? [])];
  // torch.nn.RNN: the weights of every layer up to num_layers.
  const layers = c.fn === 'elman_rnn' || c.fn === 'lstm' ? Number(c.params.num_layers ?? 1) : 0;
  for (let l = 1; l < layers; l++) required.push(`W_ih_l${l}`, `W_hh_l${l}`);
  const missing = required.filter((name) => !c.inputs[name]);
  if (missing.length > 0) {
    const have = Object.keys(c.inputs).join(', ') || 'none';
    throw new Error(`${c.fn}: missing input ${missing.join(', ')} (the case has ${have})`);
  }
  for (const [name, a] of Object.entries(c.inputs)) {
    const n = a.shape.reduce((x, y) => x * y, 1);
    if (a.data.length !== n || (a.imag && a.imag.length !== n)) {
      throw new Error(
        `${c.fn}: input ${name} has ${a.data.length} values but shape (${a.shape.join(',')}) holds ${n}`,
      );
    }
  }
}

/** Every adapter with checkCaseInputs run first, on both backends. */
export function withInputChecks(adapters: Record<string, GoldenAdapter>): Record<string, GoldenAdapter> {
  return Object.fromEntries(
    Object.entries(adapters).map(([fn, a]) => [
      fn,
      {
        ...a,
        cpu: (c: GoldenCase) => {
          checkCaseInputs(c);
          return a.cpu(c);
        },
        gpu: async (gpu, c: GoldenCase) => {
          checkCaseInputs(c);
          return a.gpu(gpu, c);
        },
      } satisfies GoldenAdapter,
    ]),
  );
}

/**
 * An adapter that reads the case with `read` on either backend, runs `cpu` or `gpu` on what it read, and
 * names the results with `out` (the golden output names).
 */
export function caseAdapter<C, R>(
  read: (c: GoldenCase) => C,
  cpu: (x: C) => R,
  gpu: (gpu: Gpu, x: C) => Promise<R>,
  out: (r: R) => GoldenOutputs,
): GoldenAdapter {
  return {
    cpu: (c) => out(cpu(read(c))),
    gpu: async (g, c) => out(await gpu(g, read(c))),
  };
}
