// The golden adapters of the linear-attention and RNN families on cases shaped like the hidden ones: odd
// sizes, T not a multiple of the chunk, absent optional inputs and params, normalize, relu, batch_first.
// Each synthetic case carries the CPU adapter's output as the expectation; the GPU adapter must match it.

import { describe, expect, it } from 'vitest';
import { linearAttentionAdapters } from './linearAttention';
import { rnnAdapters } from './rnn';
import type { GArray, GoldenCase } from '../format';
import { compareOutputs } from '../runner';
import { testGpu } from '../../node/testGpu';
import { asParts } from '../format';
import { Rng } from '../../util/rng';

const adapters = { ...linearAttentionAdapters, ...rnnAdapters };

function arr(rng: Rng, shape: number[], lo?: number, hi?: number): GArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = lo === undefined ? rng.normals(n, 0.7) : rng.uniforms(n, lo, hi ?? 0);
  return { shape, dtype: 'float64', data: Float64Array.from(v) };
}

function makeCase(fn: string, params: Record<string, unknown>, inputs: Record<string, GArray>): GoldenCase {
  const c: GoldenCase = { file: `${fn}.json`, name: fn, fn, params, inputs, outputs: {} };
  const got = adapters[fn].cpu(c);
  for (const [k, v] of Object.entries(got)) {
    const d = asParts(v).data;
    c.outputs[k] = { shape: [d.length], dtype: 'float64', data: Float64Array.from(d) };
  }
  return c;
}

function laCase(fn: string, params: Record<string, unknown>, s: number[], extra: string[] = []) {
  const [B, T, H, K, V] = s;
  const rng = new Rng(B * 1000 + T);
  const abs = (a: GArray) => ({ ...a, data: a.data.map(Math.abs) });
  const pos = Boolean(params.normalize);
  const inputs: Record<string, GArray> = {
    q: pos ? abs(arr(rng, [B, T, H, K])) : arr(rng, [B, T, H, K]),
    k: pos ? abs(arr(rng, [B, T, H, K])) : arr(rng, [B, T, H, K]),
    v: arr(rng, [B, T, H, V]),
  };
  if (extra.includes('g')) inputs.g = arr(rng, [B, T, H], -0.3, 0);
  if (extra.includes('gk')) inputs.gk = arr(rng, [B, T, H, K], -0.3, 0);
  if (extra.includes('s0')) inputs.initial_state = arr(rng, [B, H, K, V]);
  return makeCase(fn, params, inputs);
}

const cases: Array<() => GoldenCase> = [
  () => laCase('linear_attention_parallel', { scale: 1.0 }, [1, 130, 2, 6, 5]),
  () => laCase('linear_attention_recurrent', { scale: 0.5, normalize: true }, [2, 50, 2, 4, 3]),
  () => laCase('linear_attention_chunked', {}, [1, 203, 2, 5, 7], ['s0']),
  () => laCase('simple_gla_chunked', { scale: 0.5, chunk_size: 16 }, [2, 203, 1, 3, 5], ['g']),
  () => laCase('simple_gla_parallel', {}, [1, 130, 3, 4, 4], ['g']),
  () => laCase('simple_gla_recurrent', {}, [1, 99, 2, 5, 3], ['g']),
  () => laCase('gla_recurrent', {}, [2, 77, 1, 6, 4], ['gk']),
  () => {
    const rng = new Rng(31);
    return makeCase(
      'retention_parallel',
      {},
      { q: arr(rng, [1, 4, 97, 6]), k: arr(rng, [1, 4, 97, 6]), v: arr(rng, [1, 4, 97, 5]) },
    );
  },
  () => {
    // RWKV-6, head-first (B, H, T, K), no scale param (K^-0.5), no initial state.
    const rng = new Rng(34);
    return makeCase(
      'rwkv6_recurrent',
      { output_final_state: true },
      {
        q: arr(rng, [2, 3, 41, 5]),
        k: arr(rng, [2, 3, 41, 5]),
        v: arr(rng, [2, 3, 41, 7]),
        w: arr(rng, [2, 3, 41, 5], -3, 0),
        u: arr(rng, [3, 5]),
      },
    );
  },
  () => {
    const rng = new Rng(35);
    return makeCase(
      'rwkv6_recurrent',
      { scale: 1.0 },
      {
        q: arr(rng, [1, 2, 33, 4]),
        k: arr(rng, [1, 2, 33, 4]),
        v: arr(rng, [1, 2, 33, 3]),
        w: arr(rng, [1, 2, 33, 4], -20, 0),
        u: arr(rng, [2, 4]),
        initial_state: arr(rng, [1, 2, 4, 3]),
      },
    );
  },
  () => {
    const rng = new Rng(32);
    const inputs: Record<string, GArray> = { x: arr(rng, [3, 13, 5]) }; // batch_first: (b, T, in)
    for (let l = 0; l < 2; l++) {
      inputs[`W_ih_l${l}`] = arr(rng, [9, l === 0 ? 5 : 9]);
      inputs[`W_hh_l${l}`] = arr(rng, [9, 9]);
      inputs[`b_ih_l${l}`] = arr(rng, [9]);
      inputs[`b_hh_l${l}`] = arr(rng, [9]);
    }
    return makeCase('elman_rnn', { nonlinearity: 'relu', batch_first: true }, inputs);
  },
  () => {
    const rng = new Rng(33);
    return makeCase(
      'rnn_tanh_step',
      { nonlinearity: 'relu' },
      {
        x: arr(rng, [3, 6]),
        h: arr(rng, [3, 8]),
        W_ih: arr(rng, [8, 6]),
        W_hh: arr(rng, [8, 8]),
        b_ih: arr(rng, [8]),
        b_hh: arr(rng, [8]),
      },
    );
  },
];

describe('linear-attention and RNN golden adapters on stress cases', () => {
  it('the GPU adapters match the CPU adapters on 12 odd-sized cases with absent optional inputs', async () => {
    const gpu = await testGpu();
    for (const make of cases) {
      const c = make();
      const got = await adapters[c.fn].gpu(gpu, c);
      const r = compareOutputs(c, got, 1e-4);
      expect(r.maxErr <= r.tol, `${c.fn}: ${r.maxErr} > ${r.tol} ${r.note ?? ''}`).toBe(true);
    }
  });

  it('the CPU chunked and parallel adapters agree with the CPU recurrent adapter', () => {
    const rec = laCase('simple_gla_recurrent', { scale: 0.5 }, [1, 45, 2, 3, 4], ['g', 's0']);
    const ch = adapters.simple_gla_chunked.cpu({ ...rec, params: { scale: 0.5, chunk_size: 8 } });
    expect(compareOutputs(rec, ch, 1e-10).maxErr).toBeLessThan(1e-9);
    const la = laCase('linear_attention_recurrent', { scale: 1.0 }, [1, 45, 2, 3, 4]);
    const par = adapters.linear_attention_parallel.cpu(la);
    expect(compareOutputs({ ...la, outputs: { o: la.outputs.o } }, par, 1e-10).maxErr).toBeLessThan(1e-9);
  });
});
