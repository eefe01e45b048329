// The rnn stage's introduction: a recurrent network compresses everything it has read into one state,
// the notation on screen, the reader's sentence, and where the numbers come from.

import { Sym } from '../../components/Sym';
import { Trans, useTranslation } from '../../i18n';
import { useRnnResult } from './hooks';
import { tokensLang } from './lang';

export function RnnProse() {
  const { t } = useTranslation('rnn');
  const r = useRnnResult();
  return (
    <div className="prose">
      <p>
        <Trans
          t={t}
          i18nKey="prose.p1"
          components={{ b: <b />, h: <Sym s="h" tex="h_t" />, x: <Sym s="x" tex="x_t" /> }}
        />
      </p>
      <p className="notation">
        <Trans t={t} i18nKey="prose.notation" components={{ b: <b />, code: <code /> }} />
      </p>
      <p>
        {r ? (
          <>
            {t('prose.tokens', { T: r.inputs.tokens.length, d: r.params.d })}{' '}
            <span className="tok-chips" lang={tokensLang(r.inputs.tokens)} data-testid="rnn-tokens">
              {r.inputs.tokens.map((tok, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; a chip's identity is its position.
                <span key={i} className="tok-chip">
                  {tok}
                </span>
              ))}
            </span>
          </>
        ) : (
          t('computing')
        )}
      </p>
      <p>{t('prose.engine')}</p>
    </div>
  );
}
