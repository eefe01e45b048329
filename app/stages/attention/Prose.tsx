// The attention stage's introduction: what Q, K, V, S, P and O are, where the input comes from, the
// notation on screen, and the papers. Symbols are linked to the diagram (Sym).

import { Sym } from '../../components/Sym';
import { Trans, useTranslation } from '../../i18n';

const PAPERS = [
  ['Vaswani et al., 2017. Attention Is All You Need.', 'https://arxiv.org/abs/1706.03762'],
  [
    'Shazeer, 2019. Fast Transformer Decoding: One Write-Head is All You Need (MQA).',
    'https://arxiv.org/abs/1911.02150',
  ],
  [
    'Ainslie et al., 2023. GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints.',
    'https://arxiv.org/abs/2305.13245',
  ],
  [
    'Dao, 2023. FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning.',
    'https://arxiv.org/abs/2307.08691',
  ],
  [
    'Dao, Haziza, Massa, Sizov, 2023. Flash-Decoding for long-context inference.',
    'https://crfm.stanford.edu/2023/10/12/flashdecoding.html',
  ],
] as const;

export function AttentionProse() {
  const { t } = useTranslation('attention');
  const sym = {
    q: <Sym s="Q" tex="Q" />,
    k: <Sym s="K" tex="K" />,
    v: <Sym s="V" tex="V" />,
    s: <Sym s="S" tex="S" />,
    p: <Sym s="P" tex="P" />,
    o: <Sym s="O" tex="O" />,
    h: <Sym s="h" tex="h" />,
    hk: <Sym s="hk" tex="h_k" />,
    b: <b />,
  };
  return (
    <div className="prose">
      <p>
        <Trans t={t} i18nKey="prose.what" components={sym} />
      </p>
      <p>
        <Trans t={t} i18nKey="prose.input" components={sym} />
      </p>
      <p className="notation">
        <Trans t={t} i18nKey="prose.notation" components={sym} />
      </p>
      <p>{t('prose.engine')}</p>
      <h3 className="refs-title">{t('prose.papers')}</h3>
      <ul className="refs" lang="en">
        {PAPERS.map(([title, href]) => (
          <li key={href}>
            <a href={href} rel="noreferrer">
              {title}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
