import { describe, expect, it } from 'vitest';
import { embedTokens, MAX_TOKENS, tokenHash, tokenize } from './tokens';

describe('tokens', () => {
  it('splits words and punctuation, lower-cased', () => {
    expect(tokenize('The cat sat, on the mat.')).toEqual(['the', 'cat', 'sat', ',', 'on', 'the', 'mat', '.']);
  });
  it('splits CJK text into characters', () => {
    expect(tokenize('状态空间模型')).toEqual(['状', '态', '空', '间', '模', '型']);
    expect(tokenize('我爱 Mamba')).toEqual(['我', '爱', 'mamba']);
  });
  it('keeps at most the limit of tokens and ignores empty text', () => {
    expect(tokenize('a '.repeat(500)).length).toBe(MAX_TOKENS);
    expect(tokenize('a b c d', 2)).toEqual(['a', 'b']);
    expect(tokenize('   ')).toEqual([]);
  });
  it('gives the same token the same vector and different tokens different vectors', () => {
    const e = embedTokens(['the', 'cat', 'the'], 8, 1);
    expect(Array.from(e.subarray(0, 8))).toEqual(Array.from(e.subarray(16, 24)));
    expect(Array.from(e.subarray(0, 8))).not.toEqual(Array.from(e.subarray(8, 16)));
    expect(tokenHash('the', 1)).not.toBe(tokenHash('the', 2));
  });
  it('scales rows to about unit norm', () => {
    const d = 256;
    const e = embedTokens(['norm'], d, 3);
    const norm = Math.sqrt(e.reduce((s, v) => s + v * v, 0));
    expect(norm).toBeGreaterThan(0.8);
    expect(norm).toBeLessThan(1.2);
  });
});
