// The language of the reader's own tokens, for the lang attribute of the elements that show them: data
// in the sentence's language (pronounced as such by screen readers), not interface text.

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;

/** 'zh' when the tokens hold CJK characters, else 'en' (the tokenizer's other script). */
export const tokensLang = (tokens: readonly string[]): string =>
  tokens.some((t) => CJK.test(t)) ? 'zh' : 'en';
