// Languages: i18next + react-i18next. Every string a reader sees lives in a catalog,
// app/locales/<lang>/<namespace>.json: `common` (the page, the kit) is bundled for both languages; a stage's
// namespace (its id) and the kit's larger ones load with it, for the current language only.
// Math stays math; numbers go through Intl.NumberFormat of the language.

import i18next, { type i18n as I18n } from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next, Trans, useTranslation } from 'react-i18next';

export { isLang, LANGS, type Lang, pickLang } from './langs';
import type { Lang } from './langs';
import { LANGS } from './langs';

const common = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/common.json', {
  eager: true,
});
const lazy = import.meta.glob<{ default: Record<string, unknown> }>([
  '../locales/*/*.json',
  '!../locales/*/common.json',
]);

/** Loads one catalog file (lazily, as its own chunk); a missing file is an empty namespace. */
async function load(lang: string, ns: string): Promise<Record<string, unknown>> {
  const path = `../locales/${lang}/${ns}.json`;
  const eager = common[path];
  if (eager) return eager.default;
  const loader = lazy[path];
  return loader ? (await loader()).default : {};
}

export const i18n: I18n = i18next.createInstance();

/** Initialises the one i18n instance; resolves once `common` is there (it is bundled: no wait in practice). */
export function initI18n(lang: Lang): Promise<unknown> {
  const resources: Record<string, { common: Record<string, unknown> }> = {};
  for (const l of LANGS) {
    const file = common[`../locales/${l}/common.json`];
    if (file) resources[l] = { common: file.default };
  }
  return i18n
    .use(initReactI18next)
    .use(resourcesToBackend((l: string, ns: string) => load(l, ns)))
    .init({
      lng: lang,
      fallbackLng: false,
      supportedLngs: [...LANGS],
      load: 'currentOnly',
      ns: ['common'],
      defaultNS: 'common',
      resources,
      partialBundledLanguages: true,
      // React escapes what it renders; Trans renders components, never HTML strings.
      interpolation: { escapeValue: false },
      returnNull: false,
      react: { useSuspense: true, bindI18nStore: 'added' },
    });
}

export { Trans, useTranslation };

/** The current language's number format, e.g. fmt(1234.5, { maximumFractionDigits: 1 }). */
export function formatNumber(v: number, opts?: Intl.NumberFormatOptions, lang = i18n.language): string {
  if (Number.isNaN(v)) return 'NaN';
  return new Intl.NumberFormat(lang || 'en', opts).format(v);
}

/** Bytes in the units the field uses (B, KiB, MiB, GiB), in the current language's digits. */
export function formatBytes(bytes: number, lang = i18n.language): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatNumber(v, { maximumFractionDigits: u === 0 ? 0 : 1 }, lang)} ${units[u]}`;
}
