// Section 2: one head's score matrix S = QKᵀ/√d with the causal mask, and its softmax rows P, as read back
// from the engine (naive attention materialises both). The decode step's query row is outlined.

import { TitledSection } from '../../components/parts';
import { ScrollRegion } from '../../components/ScrollRegion';
import { useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { HEAT_GUTTER, HeatGrid } from './HeatGrid';
import type { AttentionResult } from './runtime';
import { attentionTex } from './tex';

/** Cells of an L×L map: two maps side by side when each cell gets 10px, else one per row. */
export function mapCell(width: number, L: number): number {
  const two = Math.floor((width - 2 * HEAT_GUTTER - 32) / (2 * L));
  if (two >= 10) return Math.min(28, two);
  return Math.max(4, Math.min(28, Math.floor((width - HEAT_GUTTER - 8) / L)));
}

export function ScoresSection({ r, head, width }: { r: AttentionResult; head: number; width: number }) {
  const { t } = useTranslation('attention');
  const k = useApp((s) => s.k);
  const L = r.inputs.tokens.length;
  const { causal } = r.params;
  const block = (a: ArrayLike<number>) => Array.from({ length: L * L }, (_, i) => a[head * L * L + i]);
  const masked = (i: number, j: number) => causal && j > i;
  const cell = mapCell(width, L);
  const maps = [
    { name: 'S', key: 's', kind: 'scores', sym: useSym('S') },
    { name: 'P', key: 'p', kind: 'probs', sym: useSym('P') },
  ] as const;
  return (
    <TitledSection headingId="sec-scores" title={t('scores.title', { head: head + 1 })}>
      <div className="formulas">
        <Tex tex={attentionTex.scores} display />
        {causal && <Tex tex={attentionTex.mask} display />}
        <Tex tex={attentionTex.softmax} display />
      </div>
      <p>{t(causal ? 'scores.causal' : 'scores.full')}</p>
      <ScrollRegion label={t('scores.maps')}>
        <div className="grids">
          {maps.map((m) => (
            <div key={m.name} className="view">
              <div className="grid-label">
                <Tex tex={m.name} /> {t(`scores.${m.key}Caption`)}
              </div>
              <HeatGrid
                values={block(r.outputs[m.name])}
                n={L}
                cell={cell}
                kind={m.kind}
                label={t(`scores.${m.key}Label`, { head: head + 1, L })}
                name={(i, j) => `${m.name}[${i + 1}, ${j + 1}]`}
                masked={masked}
                row={k - 1}
                testId={`map-${m.key}`}
                sym={m.sym.bind}
              />
            </div>
          ))}
        </div>
      </ScrollRegion>
      <p className="small">{t('scores.legend')}</p>
    </TitledSection>
  );
}
