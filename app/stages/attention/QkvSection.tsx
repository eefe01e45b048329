// Section 1: the reader's sentence as tokens, and Q, K, V of one query head (and the K/V head it reads),
// as the engine computed them: Q = X W_Qᵀ, K = X W_Kᵀ, V = X W_Vᵀ.

import { MatrixGrid } from '../../components/MatrixGrid';
import { TitledSection } from '../../components/parts';
import { ScrollRegion } from '../../components/ScrollRegion';
import { useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { useTranslation } from '../../i18n';
import { headOf, kvHeadOf } from './checks';
import type { AttentionResult } from './runtime';
import { attentionTex } from './tex';

/** The language of the reader's text for assistive technology: Chinese when it has CJK characters. */
export const textLang = (text: string) => (/[\u3400-\u9fff\uf900-\ufaff]/u.test(text) ? 'zh' : 'en');

export function Tokens({ tokens, active = -1 }: { tokens: readonly string[]; active?: number }) {
  const { t } = useTranslation('attention');
  return (
    <ol
      className="tokens"
      aria-label={t('qkv.tokens', { count: tokens.length })}
      lang={textLang(tokens.join(' '))}
    >
      {tokens.map((tok, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a token's identity is its position.
        <li key={i} className={i === active ? 'active' : i > active && active >= 0 ? 'later' : undefined}>
          <span className="tok">{tok}</span>
          <sub aria-hidden="true">{i + 1}</sub>
        </li>
      ))}
    </ol>
  );
}

export function HeadPicker({
  h,
  hk,
  head,
  setHead,
}: {
  h: number;
  hk: number;
  head: number;
  setHead: (v: number) => void;
}) {
  const { t } = useTranslation('attention');
  return (
    <div className="param">
      <label htmlFor="attention-head">{t('qkv.head')}</label>
      <select
        id="attention-head"
        data-testid="attention-head"
        value={head}
        onChange={(e) => setHead(Number(e.currentTarget.value))}
      >
        {Array.from({ length: h }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: heads are positions.
          <option key={i} value={i}>
            {t('qkv.headOption', { i: i + 1, g: kvHeadOf(i, h, hk) + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Cell size for `cols` columns of grids side by side in `width` pixels. */
export const cellFor = (width: number, cols: number, lo = 6, hi = 24) =>
  Math.max(lo, Math.min(hi, Math.floor((width - 48) / Math.max(1, cols))));

export function QkvSection({
  r,
  head,
  setHead,
  width,
}: {
  r: AttentionResult;
  head: number;
  setHead: (v: number) => void;
  width: number;
}) {
  const { t } = useTranslation('attention');
  const { h, hk, d } = r.params;
  const L = r.inputs.tokens.length;
  const g = kvHeadOf(head, h, hk);
  const cell = cellFor(width, 3 * d);
  const q = useSym('Q');
  const k = useSym('K');
  const v = useSym('V');
  const grids = [
    { sym: q, m: headOf(r.outputs.q, L, h, d, head), name: 'Q', tex: `Q^{(${head + 1})}`, id: 'q' },
    { sym: k, m: headOf(r.outputs.k, L, hk, d, g), name: 'K', tex: `K^{(${g + 1})}`, id: 'k' },
    { sym: v, m: headOf(r.outputs.v, L, hk, d, g), name: 'V', tex: `V^{(${g + 1})}`, id: 'v' },
  ];
  return (
    <TitledSection headingId="sec-qkv" title={t('qkv.title')}>
      <p>{t('qkv.intro', { L, D: h * d })}</p>
      <Tokens tokens={r.inputs.tokens} />
      <ScrollRegion label={t('qkv.math')}>
        <Tex tex={attentionTex.projections} display />
        <Tex tex={attentionTex.shapes} display />
      </ScrollRegion>
      <HeadPicker h={h} hk={hk} head={head} setHead={setHead} />
      <ScrollRegion label={t('qkv.grids')}>
        <div className="grids">
          {grids.map((x) => (
            <div key={x.id} {...x.sym.bind} className={`${x.sym.bind.className} view`}>
              <div className="grid-label">
                <Tex tex={x.tex} /> <span>{t('qkv.shape', { L, d })}</span>
              </div>
              <MatrixGrid
                values={x.m}
                rows={L}
                cols={d}
                cell={cell}
                label={t(`qkv.${x.id}Label`, { head: head + 1, g: g + 1 })}
                name={(i, c) => `${x.name}[${i + 1}, ${c + 1}]`}
                testId={`grid-${x.id}`}
              />
            </div>
          ))}
        </div>
      </ScrollRegion>
      <p className="small">{t('qkv.same')}</p>
    </TitledSection>
  );
}
