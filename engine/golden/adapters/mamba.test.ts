import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { Rng } from '../../util/rng';
import { relCheck } from '../../util/compare';
import type { GArray, GoldenCase, GoldenValue } from '../format';
import { asParts } from '../format';
import { mambaAdapters } from './mamba';

const TOL = 1e-4;

function arr(shape: number[], data: ArrayLike<number>, imag?: ArrayLike<number>): GArray {
  return {
    shape,
    dtype: imag ? 'complex128' : 'float64',
    data: Float64Array.from(data),
    imag: imag ? Float64Array.from(imag) : undefined,
  };
}

function golden(
  fn: string,
  inputs: Record<string, GArray>,
  params: Record<string, unknown> = {},
): GoldenCase {
  return { file: 'synthetic', name: `synthetic ${fn}`, fn, params, inputs, outputs: {} };
}

function same(a: GoldenValue, b: GoldenValue, tol = TOL): boolean {
  const pa = asParts(a);
  const pb = asParts(b);
  const re = relCheck(pa.data, pb.data, tol).ok;
  return re && (!pa.imag || relCheck(pa.imag, pb.imag ?? [], tol).ok);
}

async function bothBackends(c: GoldenCase) {
  const gpu = await testGpu();
  const a = mambaAdapters[c.fn];
  const cpu = a.cpu(c);
  const got = await a.gpu(gpu, c);
  for (const k of Object.keys(cpu)) expect(same(got[k], cpu[k]), k).toBe(true);
  return cpu;
}

describe('Mamba golden adapters read every upstream layout', () => {
  it('complex A with fixed complex128 B equals the same B repeated over time as (B, G=D, N, 2L), on cpu and gpu', async () => {
    const rng = new Rng(51);
    const [b, D, N, L] = [2, 3, 4, 29];
    const base = {
      u: arr([b, D, L], rng.normals(b * D * L)),
      delta: arr([b, D, L], rng.uniforms(b * D * L, 0.01, 0.2)),
      A: arr([D, N], rng.uniforms(D * N, -1, -0.1), rng.normals(D * N)),
      C: arr([b, 1, N, 2 * L], rng.normals(b * N * 2 * L)),
      D: arr([D], rng.normals(D)),
    };
    const bre = rng.normals(D * N);
    const bim = rng.normals(D * N);
    const fixed = await bothBackends(golden('selective_scan_ref', { ...base, B: arr([D, N], bre, bim) }));
    const tiled = new Float64Array(b * D * N * 2 * L);
    for (let i = 0; i < b * D * N; i++) {
      for (let t = 0; t < L; t++) {
        tiled[i * 2 * L + 2 * t] = bre[i % (D * N)];
        tiled[i * 2 * L + 2 * t + 1] = bim[i % (D * N)];
      }
    }
    const variable = await bothBackends(
      golden('selective_scan_ref', { ...base, B: arr([b, D, N, 2 * L], tiled) }),
    );
    expect(same(fixed.out, variable.out, 1e-12)).toBe(true);
    expect(same(fixed.last_state, variable.last_state, 1e-12)).toBe(true);
  });

  it('per-head dt, dt_bias, D and A of a 4-D state update equal their broadcast (b, h, p) and (h, p, n) forms', async () => {
    const rng = new Rng(52);
    const [b, h, p, n, g] = [2, 4, 3, 5, 2];
    const dt = rng.uniforms(b * h, -3, -1);
    const A = rng.uniforms(h, -4, -1);
    const Dh = rng.normals(h);
    const bias = rng.normals(h, 0.3);
    const common = {
      state: arr([b, h, p, n], rng.normals(b * h * p * n)),
      x: arr([b, h, p], rng.normals(b * h * p)),
      B: arr([b, g, n], rng.normals(b * g * n)),
      C: arr([b, g, n], rng.normals(b * g * n)),
      z: arr([b, h, p], rng.normals(b * h * p)),
    };
    const rep = (v: ArrayLike<number>, k: number) =>
      Array.from({ length: v.length * k }, (_, i) => v[Math.floor(i / k)]);
    const params = { dt_softplus: true };
    const perHead = await bothBackends(
      golden(
        'selective_state_update_ref',
        { ...common, dt: arr([b, h], dt), A: arr([h], A), D: arr([h], Dh), dt_bias: arr([h], bias) },
        params,
      ),
    );
    const full = await bothBackends(
      golden(
        'selective_state_update_ref',
        {
          ...common,
          dt: arr([b, h, p], rep(dt, p)),
          A: arr([h, p, n], rep(A, p * n)),
          D: arr([h, p], rep(Dh, p)),
          dt_bias: arr([h, p], rep(bias, p)),
        },
        params,
      ),
    );
    expect(same(perHead.out, full.out, 1e-12)).toBe(true);
    expect(same(perHead.new_state, full.new_state, 1e-12)).toBe(true);
  });

  it('a 3-token conv update (x of shape (b, d, 3)) equals causal_conv1d from the same state, on cpu and gpu', async () => {
    const rng = new Rng(53);
    const [b, d, W, T] = [2, 3, 4, 3];
    const weight = arr([d, W], rng.normals(d * W, 0.5));
    const bias = arr([d], rng.normals(d, 0.1));
    const state = arr([b, d, W - 1], rng.normals(b * d * (W - 1)));
    const x = arr([b, d, T], rng.normals(b * d * T));
    const params = { activation: 'silu' };
    const up = await bothBackends(
      golden('causal_conv1d_update_ref', { x, conv_state: state, weight, bias }, params),
    );
    const conv = await bothBackends(
      golden('causal_conv1d_ref', { x, weight, bias, initial_states: state }, params),
    );
    expect(same(up.out, conv.out, 1e-12)).toBe(true);
    expect(same(up.new_conv_state, conv.final_states, 1e-12)).toBe(true);
  });
});
