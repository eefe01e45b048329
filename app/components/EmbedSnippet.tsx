// "Embed": the iframe snippet for exactly this view (stage, params, step, language, theme) in embed mode,
// to paste into a course page, with a copy button. The frame sizes itself through seqscope:resize (README).

import { useState } from 'react';
import { useTranslation } from '../i18n';
import { findBuiltStage } from '../stages/registry';
import { useApp } from '../store';
import { buildSearch } from '../url';

/** The snippet's HTML; attribute values escaped (the title comes from a catalog, the URL from the state). */
export function snippetFor(url: string, title: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${esc(url)}" title="${esc(title)}" style="width:100%;height:720px;border:0" loading="lazy"></iframe>`;
}

export function EmbedSnippet() {
  const { t } = useTranslation('common');
  const stageId = useApp((s) => s.stageId);
  const params = useApp((s) => s.params);
  const k = useApp((s) => s.k);
  const lang = useApp((s) => (s.langChosen ? s.lang : null));
  const theme = useApp((s) => s.theme);
  const [copied, setCopied] = useState(false);
  const stage = findBuiltStage(stageId);
  if (!stage) return null;
  const search = buildSearch(
    {
      stageId,
      params: { ...params },
      k,
      forceCpu: false,
      lang,
      theme,
      embedding: { embed: true, stages: null, parentOrigin: null, statements: false },
    },
    stage,
  );
  const url = `${window.location.origin}${window.location.pathname}${search}`;
  const code = snippetFor(url, `Seqscope: ${t(`stages.${stageId}.title`)}`);
  return (
    <details className="embed-snippet" onToggle={() => setCopied(false)}>
      <summary data-testid="embed-button">{t('embedSnippet.button')}</summary>
      <div className="embed-snippet-body">
        <label htmlFor="embed-code">{t('embedSnippet.label')}</label>
        <textarea
          id="embed-code"
          data-testid="embed-snippet"
          readOnly
          value={code}
          rows={4}
          spellCheck={false}
        />
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(code).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? t('embedSnippet.copied') : t('embedSnippet.copy')}
        </button>
        <small>{t('embedSnippet.hint')}</small>
      </div>
    </details>
  );
}
