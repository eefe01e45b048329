// Section 4: several heads and grouped K/V heads (GQA): h query heads share h_k K/V heads, query head i
// reading K/V head g(i). The cache a decoder keeps per token shrinks by h/h_k; the scores stay per query head.

import { FigureSvg } from '../../components/Figure';
import { TitledSection } from '../../components/parts';
import { useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { formatBytes, useTranslation } from '../../i18n';
import { kvHeadOf } from './checks';
import type { AttentionResult } from './runtime';
import { attentionTex } from './tex';

export function HeadsSection({ r, head, width }: { r: AttentionResult; head: number; width: number }) {
  const { t } = useTranslation('attention');
  const { h, hk, d } = r.params;
  const W = Math.max(240, Math.min(560, width));
  const H = 132;
  const qx = (i: number) => ((i + 0.5) * W) / h;
  const kx = (g: number) => ((g + 0.5) * W) / hk;
  const box = Math.min(44, W / Math.max(h, 1) - 8);
  const qs = useSym('h');
  const ks = useSym('hk');
  const perToken = 2 * hk * d * 4;
  const kind = hk === h ? 'mha' : hk === 1 ? 'mqa' : 'gqa';
  return (
    <TitledSection headingId="sec-heads" title={t('heads.title')}>
      <p>{t('heads.intro', { h, hk, group: h / hk })}</p>
      <Tex tex={attentionTex.gqa} display />
      {r.hkAsked !== null && (
        <p className="notice-inline" role="note">
          {t('heads.clamped', { asked: r.hkAsked, h })}
        </p>
      )}
      <FigureSvg className="chart heads" width={W} height={H} label={t('heads.label', { h, hk })}>
        {Array.from({ length: h }, (_, i) => (
          <line
            // biome-ignore lint/suspicious/noArrayIndexKey: heads are positions.
            key={`l${i}`}
            className={i === head ? 'wire active' : 'wire'}
            x1={qx(i)}
            y1={40}
            x2={kx(kvHeadOf(i, h, hk))}
            y2={H - 40}
          />
        ))}
        <g {...qs.bind}>
          {Array.from({ length: h }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: heads are positions.
            <g key={`q${i}`} className={i === head ? 'head q active' : 'head q'}>
              <rect x={qx(i) - box / 2} y={12} width={box} height={28} rx={4} />
              <text x={qx(i)} y={26} dy="0.35em" textAnchor="middle">
                {`Q${i + 1}`}
              </text>
            </g>
          ))}
        </g>
        <g {...ks.bind}>
          {Array.from({ length: hk }, (_, g) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: heads are positions.
            <g key={`k${g}`} className={g === kvHeadOf(head, h, hk) ? 'head kv active' : 'head kv'}>
              <rect
                x={kx(g) - Math.min(64, W / hk - 8) / 2}
                y={H - 40}
                width={Math.min(64, W / hk - 8)}
                height={28}
                rx={4}
              />
              <text x={kx(g)} y={H - 26} dy="0.35em" textAnchor="middle">
                {`K${g + 1} V${g + 1}`}
              </text>
            </g>
          ))}
        </g>
      </FigureSvg>
      <p data-testid="kv-per-token">
        {t(`heads.${kind}`)}{' '}
        {t('heads.cache', { bytes: formatBytes(perToken), mha: formatBytes(2 * h * d * 4), h, hk })}
      </p>
    </TitledSection>
  );
}
