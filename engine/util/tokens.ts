// The reader's own sentence as model input: a short typed text becomes tokens (lower-cased words and
// punctuation marks, or CJK characters one by one) and each token a fixed, seeded embedding vector, so
// the same sentence gives the same numbers on every machine. A teaching embedding, not a trained one:
// the vector of a token depends only on the token and the seed (FNV-1a hash → Rng → normals / √d).

import { Rng } from './rng';

/** At most this many tokens are kept (a stage's L limit may be lower). */
export const MAX_TOKENS = 64;
/** At most this many characters of text are read. */
export const MAX_TEXT = 200;

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;

/** Splits text into tokens: words (letters, digits, apostrophes), single punctuation marks, CJK characters. */
export function tokenize(text: string, max = MAX_TOKENS): string[] {
  const out: string[] = [];
  const src = text.slice(0, MAX_TEXT).normalize('NFKC').toLowerCase();
  const re = /[\p{L}\p{N}'’]+|[^\s\p{L}\p{N}]/gu;
  for (const m of src.matchAll(re)) {
    const word = m[0];
    if (CJK.test(word)) {
      // CJK text has no spaces: each character is a token (as character-level tokenizers do).
      for (const ch of word) {
        if (CJK.test(ch)) out.push(ch);
        else if (out.length > 0 && !CJK.test(out[out.length - 1])) out[out.length - 1] += ch;
        else out.push(ch);
        if (out.length >= max) return out;
      }
    } else out.push(word);
    if (out.length >= max) return out;
  }
  return out;
}

/** FNV-1a over the UTF-16 code units of s, mixed with the seed: a 32-bit unsigned hash. */
export function tokenHash(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The (tokens.length, d) embedding: row t is token t's seeded normal vector scaled by 1/√d. */
export function embedTokens(tokens: readonly string[], d: number, seed: number): Float32Array {
  const out = new Float32Array(tokens.length * d);
  const scale = 1 / Math.sqrt(d);
  tokens.forEach((tok, t) => {
    out.set(new Rng(tokenHash(tok, seed)).normals(d, scale), t * d);
  });
  return out;
}
