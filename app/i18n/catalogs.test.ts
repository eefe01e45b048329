// Every catalog is complete in both languages: the same files, the same keys, the same placeholders and
// markup, no empty string, and no English left in the Chinese text (English terms are allowed in
// parentheses after the Chinese one, as on first use, and inside code, keys and math).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGS, pickLang } from '.';
import { englishLeft } from './englishLeft';

const ROOT = join(__dirname, '..', 'locales');

type Tree = { [k: string]: string | Tree };

function flatten(t: Tree, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else flatten(v, key, out);
  }
  return out;
}

function catalog(lang: string, file: string): Record<string, string> {
  return flatten(JSON.parse(readFileSync(join(ROOT, lang, file), 'utf8')) as Tree);
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const tags = (s: string) => [...s.matchAll(/<\/?([\w-]+)\s*\/?>/g)].map((m) => m[0]).sort();

const files = readdirSync(join(ROOT, 'en')).filter((f) => f.endsWith('.json'));

describe('message catalogs', () => {
  it('every language has the same catalog files', () => {
    for (const lang of LANGS) expect(readdirSync(join(ROOT, lang)).sort()).toEqual([...files].sort());
  });

  for (const file of files)
    it(`${file}: zh-CN has every key of en with the same placeholders and markup, and no English left`, () => {
      const en = catalog('en', file);
      const zh = catalog('zh-CN', file);
      expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
      const problems: string[] = [];
      for (const [key, e] of Object.entries(en)) {
        const z = zh[key];
        if (!e.trim() || !z.trim()) problems.push(`${key}: empty`);
        if (placeholders(e).join() !== placeholders(z).join()) problems.push(`${key}: placeholders differ`);
        if (tags(e).join() !== tags(z).join()) problems.push(`${key}: markup differs`);
        const left = englishLeft(z);
        if (left.length > 0) problems.push(`${key}: English left in zh-CN: ${left.join(', ')}`);
      }
      expect(problems).toEqual([]);
    });

  it('the English-left check catches English and allows glosses, code and names', () => {
    expect(englishLeft('The engine could not compute')).toEqual(['engine', 'could', 'compute']);
    expect(englishLeft('注意力（attention）')).toEqual([]);
    expect(englishLeft('加上 <code>?backend=cpu</code> 即可')).toEqual([]);
    expect(englishLeft('FlashAttention 与 Mamba-2')).toEqual([]);
  });

  it('the language comes from ?lang=, else the browser, else English', () => {
    expect(pickLang('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLang(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLang(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLang('xx', ['de'])).toBe('en');
  });
});
