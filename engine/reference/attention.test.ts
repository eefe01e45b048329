import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { relCheck } from '../util/compare';
import {
  type AttnShape,
  flashAttentionTiled,
  resolveScale,
  softmaxAttention,
  visibleKvTiles,
} from './attention';
import { splitAttention } from './attentionSplit';

function inputs(s: AttnShape, seed: number) {
  const rng = new Rng(seed);
  return {
    q: rng.normals(s.b * s.sq * s.h * s.d),
    k: rng.normals(s.b * s.sk * s.hk * s.d),
    v: rng.normals(s.b * s.sk * s.hk * s.d),
  };
}

describe('attention references (float64)', () => {
  const shapes: AttnShape[] = [
    { b: 2, sq: 13, sk: 29, h: 4, hk: 2, d: 5 },
    { b: 1, sq: 31, sk: 9, h: 3, hk: 1, d: 7 },
  ];
  for (const s of shapes) {
    for (const causal of [false, true]) {
      it(`tiled FlashAttention equals softmax attention for sq=${s.sq}, sk=${s.sk}, causal=${causal}, Br=4, Bc=7`, () => {
        const x = inputs(s, s.sq * 7 + s.sk);
        const want = softmaxAttention(x.q, x.k, x.v, s, causal);
        const got = flashAttentionTiled(x.q, x.k, x.v, s, 4, 7, causal);
        expect(relCheck(got.out, want.out, 1e-12).ok).toBe(true);
        expect(relCheck(got.lse, want.lse, 1e-12).ok).toBe(true);
      });
      it(`split-KV merge equals softmax attention for sq=${s.sq}, sk=${s.sk}, causal=${causal}, 4 splits`, () => {
        const x = inputs(s, s.sq + s.sk);
        const want = softmaxAttention(x.q, x.k, x.v, s, causal);
        const got = splitAttention(x.q, x.k, x.v, s, causal, 4);
        expect(relCheck(got.out, want.out, 1e-12).ok).toBe(true);
        expect(relCheck(got.lse, want.lse, 1e-12).ok).toBe(true);
      });
    }
  }

  it('bottom-right causal: with sq=31 > sk=9 the first 22 rows are fully masked (O = 0, lse = +inf)', () => {
    const s = shapes[1];
    const x = inputs(s, 1);
    const got = softmaxAttention(x.q, x.k, x.v, s, true);
    for (let i = 0; i < s.sq; i++) {
      expect(got.lse[i] === Number.POSITIVE_INFINITY).toBe(i < s.sq - s.sk);
      if (i < s.sq - s.sk)
        expect(Array.from(got.out.slice(i * s.h * s.d, (i * s.h + 1) * s.d))).toEqual(new Array(s.d).fill(0));
    }
  });

  it('causal tiles above the diagonal are not visited', () => {
    expect(visibleKvTiles(15, 64, 64, 16, true)).toBe(1);
    expect(visibleKvTiles(63, 64, 64, 16, true)).toBe(4);
    expect(visibleKvTiles(3, 10, 6, 2, true)).toBe(0);
    expect(visibleKvTiles(3, 10, 6, 2, false)).toBe(3);
  });

  it('uses exactly 1/sqrt(d) for a rounded softmax_scale and keeps a clearly different one', () => {
    expect(resolveScale(5, 0.4472136)).toBe(1 / Math.sqrt(5));
    expect(resolveScale(5, null)).toBe(1 / Math.sqrt(5));
    expect(resolveScale(5, 0.25)).toBe(0.25);
  });
});
