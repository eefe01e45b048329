// Malformed cases in the golden format (mismatched shapes, data shorter than its shape, chunk or tile sizes
// of 0 or below, heads not divisible by groups): each one must FAIL with a note, never crash or hang.

import { type CaseData, cplx, mk, type StressCase, type RawArray, real } from './common';

const z = (...shape: number[]): RawArray => real(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)));
const ones = (...shape: number[]): RawArray =>
  real(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(0.5));

/** A case of `fn` wrong on purpose in `what`: mk's record, named bad_<fn>_<what>. */
const bad = (fn: string, what: string, ...data: CaseData): StressCase => ({
  ...mk(fn, '', 0, `malformed on purpose: ${what}`, ...data),
  name: `bad_${fn}_${what}`,
});

const qkv = (sq: number, sk: number, h: number, hk: number, d: number, dk = d) => ({
  q: ones(1, sq, h, d),
  k: ones(1, sk, hk, dk),
  v: ones(1, sk, hk, d),
});
const attnOut = (sq: number, h: number, d: number) => ({ out: z(1, sq, h, d), lse: z(1, h, sq) });
const la = (T: number, Tv = T) => ({ q: ones(1, T, 2, 4), k: ones(1, T, 2, 4), v: ones(1, Tv, 2, 3) });
const laOut = (T: number) => ({ o: z(1, T, 2, 3), final_state: z(1, 2, 4, 3) });
const ssdIn = (T: number, TA = T) => ({
  X: ones(1, T, 2, 3),
  A: real([1, TA, 2], new Float64Array(TA * 2).fill(-0.1)),
  B: ones(1, T, 2, 4),
  C: ones(1, T, 2, 4),
});

/** Every malformed case; the runner must report each as failed with a note. */
export function malformedCases(): StressCase[] {
  return [
    bad(
      'softmax_attention',
      'k_head_dim_5_vs_q_4',
      { causal: false },
      qkv(6, 6, 2, 2, 4, 5),
      attnOut(6, 2, 4),
    ),
    bad(
      'flash_attention_tiled',
      'Br_0',
      { causal: false, Br: 0, Bc: 4 },
      qkv(6, 6, 2, 2, 4),
      attnOut(6, 2, 4),
    ),
    bad(
      'flash_attention_tiled',
      'h3_not_multiple_of_hk2',
      { Br: 4, Bc: 4 },
      qkv(6, 6, 3, 2, 4),
      attnOut(6, 3, 4),
    ),
    bad('linear_attention_recurrent', 'v_T7_vs_T8', { scale: 1 }, la(8, 7), laOut(8)),
    bad('linear_attention_chunked', 'chunk_0', { scale: 1, chunk_size: 0 }, la(8), laOut(8)),
    bad('simple_gla_chunked', 'chunk_minus4', { chunk_size: -4 }, { ...la(8), g: z(1, 8, 2) }, laOut(8)),
    bad(
      'simple_gla_parallel',
      'g_T7_vs_T8',
      {},
      { ...la(8), g: z(1, 7, 2) },
      { o: z(1, 8, 2, 3), attn: z(1, 2, 8, 8) },
    ),
    bad(
      'gla_recurrent',
      'q_data_shorter_than_shape',
      {},
      {
        ...la(8),
        q: real([1, 8, 2, 4], new Float64Array(50)),
        gk: z(1, 8, 2, 4),
      },
      laOut(8),
    ),
    bad(
      'retention_parallel',
      'v_T5_vs_T6',
      {},
      { q: ones(1, 2, 6, 4), k: ones(1, 2, 6, 4), v: ones(1, 2, 5, 3) },
      {
        o: z(1, 2, 6, 3),
      },
    ),
    bad('ssd_minimal_discrete', 'A_T7_vs_X_T8', { block_len: 4 }, ssdIn(8, 7), {
      Y: z(1, 8, 2, 3),
      final_state: z(1, 2, 3, 4),
    }),
    bad('ssd_naive_quadratic', 'A_T9_vs_X_T8', {}, ssdIn(8, 9), { Y: z(1, 8, 2, 3) }),
    bad(
      'ssd_chunk_scan_combined_ref',
      'h3_not_multiple_of_g2',
      { chunk_size: 4, dt_softplus: true },
      {
        x: ones(1, 8, 3, 2),
        dt: ones(1, 8, 3),
        A: real([3], [-1, -2, -3]),
        B: ones(1, 8, 2, 4),
        C: ones(1, 8, 2, 4),
      },
      { out: z(1, 8, 3, 2) },
    ),
    bad(
      'selective_scan_ref',
      'delta_L7_vs_u_L8',
      { delta_softplus: false },
      {
        u: ones(1, 4, 8),
        delta: ones(1, 4, 7),
        A: real([4, 3], new Float64Array(12).fill(-1)),
        B: ones(1, 3, 8),
        C: ones(1, 3, 8),
      },
      { out: z(1, 4, 8), last_state: z(1, 4, 3) },
    ),
    bad(
      'selective_state_update_ref',
      'B_n4_vs_state_n3',
      { dt_softplus: false },
      {
        state: z(2, 4, 3),
        x: ones(2, 4),
        dt: ones(2, 4),
        A: real([4, 3], new Float64Array(12).fill(-1)),
        B: ones(2, 4),
        C: ones(2, 3),
      },
      { out: z(2, 4), new_state: z(2, 4, 3) },
    ),
    bad(
      'causal_conv1d_ref',
      'weight_d4_vs_x_d3',
      {},
      { x: ones(2, 3, 9), weight: ones(4, 4) },
      { out: z(2, 3, 9) },
    ),
    bad(
      'causal_conv1d_update_ref',
      'state_d2_vs_x_d3',
      {},
      {
        x: ones(2, 3),
        conv_state: z(2, 2, 3),
        weight: ones(3, 4),
      },
      { out: z(2, 3), new_conv_state: z(2, 3, 3) },
    ),
    bad('hippo_legs', 'N_minus3', { N: -3 }, {}, { A: z(1, 1), B: z(1) }),
    bad(
      'discretize_zoh',
      'B_4_vs_A_3x3',
      { dt: 0.125 },
      { A: ones(3, 3), B: ones(4) },
      { Abar: z(3, 3), Bbar: z(3) },
    ),
    bad('s4_kernel', 'C_5_vs_N_4', { L: 8 }, { Abar: ones(4, 4), Bbar: ones(4), C: ones(5) }, { K: z(8) }),
    bad(
      'ssm_scan',
      'Bbar_3_vs_N_4',
      {},
      { Abar: ones(4, 4), Bbar: ones(3), C: ones(4), u: ones(8) },
      {
        y: z(8),
        x_final: z(4),
      },
    ),
    bad(
      's4d_kernel',
      'L_minus5',
      { L: -5, disc: 'zoh' },
      {
        A: cplx([1, 2], [-0.5, -0.5], [0, 1]),
        B: cplx([1, 2], [1, 1], [0, 0]),
        C: cplx([1, 2], [1, 1], [0, 0]),
        dt: ones(1),
      },
      { K: z(1, 1) },
    ),
    bad(
      's4d_conv_layer',
      'K_H3_vs_u_H2',
      {},
      { u: ones(1, 2, 8), K: ones(3, 8), D: ones(2) },
      { y: z(1, 2, 8) },
    ),
    bad(
      'rnn_tanh_step',
      'W_hh_not_square',
      {},
      {
        x: ones(2, 3),
        h: ones(2, 4),
        W_ih: ones(4, 3),
        W_hh: ones(4, 3),
      },
      { h_new: z(2, 4) },
    ),
    bad('softmax_attention', 'missing_v', {}, { q: ones(1, 6, 2, 4), k: ones(1, 6, 2, 4) }, attnOut(6, 2, 4)),
    bad(
      'selective_scan_ref',
      'missing_delta',
      {},
      {
        u: ones(1, 4, 8),
        A: real([4, 3], new Float64Array(12).fill(-1)),
        B: ones(1, 3, 8),
        C: ones(1, 3, 8),
      },
      { out: z(1, 4, 8), last_state: z(1, 4, 3) },
    ),
    bad('s4_kernel', 'missing_C', { L: 8 }, { Abar: ones(4, 4), Bbar: ones(4) }, { K: z(8) }),
    bad(
      'ssd_minimal_discrete',
      'missing_B',
      { block_len: 4 },
      { X: ones(1, 8, 2, 3), A: ones(1, 8, 2), C: ones(1, 8, 2, 4) },
      {
        Y: z(1, 8, 2, 3),
        final_state: z(1, 2, 3, 4),
      },
    ),
    bad(
      'elman_rnn',
      'missing_layer1_weights',
      { num_layers: 2 },
      {
        x: ones(5, 2, 3),
        W_ih_l0: ones(4, 3),
        W_hh_l0: ones(4, 4),
        b_ih_l0: ones(4),
        b_hh_l0: ones(4),
      },
      { output: z(5, 2, 4), h_n: z(2, 2, 4) },
    ),
  ];
}
