// Section 2: ZOH and bilinear discretization side by side, Ā (N×N) and B̄ (N×1) as live grids from the
// engine's outputs, with the Δ slider and the sentence on Δ as a gate. Each method sizes its cells from
// its own measured width, so Ā and B̄ always fit side by side (no clipped B̄ column at any width), and one
// table alternative holds both.

import { interpolateRdBu } from 'd3';
import { MatrixGrid } from '../../components/MatrixGrid';
import { ParamControls } from '../../components/ParamControls';
import { Captioned, TitledSection } from '../../components/parts';
import { Sym, useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { useWidth } from '../../components/useWidth';
import { ValueTable } from '../../components/ValueTable';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { fmt3 } from './format';
import { useSsmResult } from './hooks';
import { MathBlock } from './MathBlock';
import { ssmStageParams } from './params';
import { discretized, type SsmResult } from './runtime';
import { ssmTex } from './tex';

function maxAbsOf(...arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]));
  return m || 1;
}

/** B̄'s column is at least this wide: its label "B̄ (N×1)" wraps to two lines but no narrower. */
const B_COLUMN = 44;

/**
 * Cell size for Ā (N cells) and B̄ (one column of at least B_COLUMN px) side by side in `width` px, with
 * 1px gaps and 16px between them, so that both always fit the method's box.
 */
export function discCell(width: number, N: number): number {
  const withLabel = Math.floor((width - 16 - B_COLUMN - (N - 1)) / N);
  const cell = withLabel > B_COLUMN ? Math.floor((width - 16 - (N - 1)) / (N + 1)) : withLabel;
  return Math.max(6, Math.min(36, cell));
}

/** Ā and B̄ of one method as one (N, N+1) table: Ā's columns, then B̄. */
function joined(Abar: ArrayLike<number>, Bbar: ArrayLike<number>, N: number): Float64Array {
  const out = new Float64Array(N * (N + 1));
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) out[i * (N + 1) + j] = Abar[i * N + j];
    out[i * (N + 1) + N] = Bbar[i];
  }
  return out;
}

function Method({ r, method }: { r: SsmResult; method: 'zoh' | 'bilinear' }) {
  const { t } = useTranslation('ssm');
  const [ref, width] = useWidth<HTMLDivElement>(300);
  const abar = useSym('Abar', 'grid-col');
  const bbar = useSym('Bbar', 'grid-col');
  const N = r.params.N;
  const Abar = method === 'zoh' ? r.outputs.AbarZoh : r.outputs.AbarBilinear;
  const Bbar = method === 'zoh' ? r.outputs.BbarZoh : r.outputs.BbarBilinear;
  const extent = maxAbsOf(r.outputs.AbarZoh, r.outputs.AbarBilinear);
  const bExtent = maxAbsOf(r.outputs.BbarZoh, r.outputs.BbarBilinear);
  const used = r.params.disc === method;
  const cell = discCell(width, N);
  const name = t(`disc.${method}.name`);
  const n = formatNumber(N);
  // Ā (N × N) and B̄ (N × 1) side by side, each on the scale of both methods:
  // [matrix, its symbol link, values, columns, extent].
  const grids = [
    ['abar', abar, Abar, N, extent],
    ['bbar', bbar, Bbar, 1, bExtent],
  ] as const;
  const glyph = { abar: 'Ā', bbar: 'B̄' };
  return (
    <figure className={used ? 'method used' : 'method'} data-testid={`disc-${method}`}>
      <figcaption>
        {name}
        {used && <span className="tag">{t('disc.used')}</span>}
      </figcaption>
      <MathBlock tex={method === 'zoh' ? ssmTex.zoh : ssmTex.bilinear} label={t('math.disc', { name })} />
      <div ref={ref} className="grids">
        {grids.map(([id, sym, values, cols, ext]) => (
          <Captioned
            key={id}
            bind={sym.bind}
            caption={
              <>
                <Tex tex={id === 'abar' ? '\\bar A' : '\\bar B'} />{' '}
                <span>{t('disc.shape', { rows: n, cols: formatNumber(cols) })}</span>
              </>
            }
            kind="grid"
          >
            <MatrixGrid
              values={values}
              rows={N}
              cols={cols}
              cell={cell}
              extent={ext}
              label={t(`disc.${id}Label`, { name, n })}
              name={(i, j) => (id === 'bbar' ? `${glyph[id]}[${i}]` : `${glyph[id]}[${i},${j}]`)}
              testId={`${id}-${method}`}
              noTable
            />
          </Captioned>
        ))}
      </div>
      <ValueTable
        caption={t('disc.table', { name })}
        values={joined(Abar, Bbar, N)}
        rows={N}
        cols={N + 1}
        colName={(c) => (c < N ? `Ā[·,${c}]` : 'B̄')}
        testId={`disc-${method}-table`}
      />
    </figure>
  );
}

/** Live numbers for the gate: A is lower triangular, so Ā is too and its diagonal holds its eigenvalues. */
function DiagonalNote({ r }: { r: SsmResult }) {
  const { t } = useTranslation('ssm');
  const N = r.params.N;
  const { Abar } = discretized(r);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let n = 0; n < N; n++) {
    lo = Math.min(lo, Abar[n * N + n]);
    hi = Math.max(hi, Abar[n * N + n]);
  }
  return (
    <Trans
      t={t}
      i18nKey="disc.diagonal"
      values={{
        dt: formatNumber(r.params.dt),
        method: t(`disc.${r.params.disc}.short`),
        lo: fmt3(lo),
        hi: fmt3(hi),
      }}
      components={{ b: <b />, abar: <Sym s="Abar" tex="\bar A" /> }}
    />
  );
}

export function DiscretizationSection() {
  const r = useSsmResult();
  const { t } = useTranslation('ssm');
  const dt = useSym('dt', 'dt-control');
  const dtValue = useApp((s) => s.params.dt);
  return (
    <TitledSection headingId="sec-disc" title={t('disc.heading')}>
      <p>
        <Trans
          t={t}
          i18nKey="disc.intro"
          components={{
            xk: <Tex tex="x_k = x(k\Delta)" />,
            dt: <Sym s="dt" tex="\Delta" />,
            rec: <Tex tex="h_k = \bar A h_{k-1} + \bar B x_k" />,
            abar: <Sym s="Abar" tex="\bar A" />,
            bbar: <Sym s="Bbar" tex="\bar B" />,
          }}
        />
      </p>
      <div {...dt.bind}>
        <ParamControls specs={ssmStageParams} keys={['dt', 'disc']} />
      </div>
      <p className="gate">
        <Trans
          t={t}
          i18nKey="disc.gate"
          components={{
            b: <b />,
            abarExp: <Tex tex="\bar A = e^{\Delta A}" />,
            abarI: <Tex tex="\bar A \approx I" />,
            bbarDt: <Tex tex="\bar B \approx \Delta B" />,
          }}
        />{' '}
        {r ? <DiagonalNote r={r} /> : <span className="placeholder">{t('disc.diagonalPending')}</span>}
      </p>
      <div className="methods">
        {r ? (
          <>
            <Method r={r} method="zoh" />
            <Method r={r} method="bilinear" />
          </>
        ) : (
          <p className="placeholder">{t('disc.computing', { dt: formatNumber(Number(dtValue)) })}</p>
        )}
      </div>
      <p className="legend">
        {/* The grids' own colour scale (d3's RdBu, as in diagrams/matrixGrid.ts) at its two ends. */}
        <span className="swatch" style={{ background: interpolateRdBu(0.1) }} aria-hidden="true" />{' '}
        {t('legend.negative')}{' '}
        <span className="swatch" style={{ background: interpolateRdBu(0.9) }} aria-hidden="true" />{' '}
        {t('legend.positive')} {t('legend.grids')}{' '}
        {r && (r.backend === 'webgpu' ? t('legend.webgpu') : t('legend.cpu'))}
      </p>
    </TitledSection>
  );
}
