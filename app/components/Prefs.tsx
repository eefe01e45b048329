// The reader's display choices: language and theme. Both go into the URL once chosen, so a shared link
// opens in the same language and theme.

import { type Lang, LANGS, useTranslation } from '../i18n';
import { useApp } from '../store';
import { THEMES, type Theme } from '../url';

const THEME_KEYS: Record<Theme, string> = {
  light: 'prefs.themeLight',
  dark: 'prefs.themeDark',
  projector: 'prefs.themeProjector',
};
const LANG_KEYS: Record<Lang, string> = { en: 'prefs.langEn', 'zh-CN': 'prefs.langZh' };

export function Prefs() {
  const { t } = useTranslation('common');
  const lang = useApp((s) => s.lang);
  const theme = useApp((s) => s.theme);
  const setLang = useApp((s) => s.setLang);
  const setTheme = useApp((s) => s.setTheme);
  return (
    <fieldset className="prefs">
      <legend className="visually-hidden">{t('prefs.label')}</legend>
      <label>
        <span className="visually-hidden">{t('prefs.lang')}</span>
        <select
          data-testid="lang"
          aria-label={t('prefs.lang')}
          value={lang}
          onChange={(e) => setLang(e.currentTarget.value as Lang)}
        >
          {LANGS.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(LANG_KEYS[l])}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('prefs.theme')}</span>
        <select
          data-testid="theme"
          aria-label={t('prefs.theme')}
          value={theme ?? 'auto'}
          onChange={(e) =>
            setTheme(e.currentTarget.value === 'auto' ? null : (e.currentTarget.value as Theme))
          }
        >
          <option value="auto">{t('prefs.themeAuto')}</option>
          {THEMES.map((th) => (
            <option key={th} value={th}>
              {t(THEME_KEYS[th])}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
