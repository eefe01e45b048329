// The languages of the site and how the page picks one. No i18next here: pure, importable anywhere
// (the URL parser, the embed schema, Node scripts).

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/** The language of `?lang=` when it names one we have, else the first browser language we have. */
export function pickLang(param: string | null, browser: readonly string[]): Lang {
  if (isLang(param)) return param;
  for (const b of browser) {
    const l = b.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}
