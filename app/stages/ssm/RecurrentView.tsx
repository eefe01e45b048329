// Section 3: the recurrence animated step by step. Every h_k and y_k shown here was read back from the
// GPU (or the CPU backend) by the stepper as the steps ran; stepping back shows cached values. The
// Narrator (stage.ts's narrate) speaks each step; this view has no live region of its own.

import { Check } from '../../components/Check';
import { MatrixGrid } from '../../components/MatrixGrid';
import { Captioned, TitledSection } from '../../components/parts';
import { Sym, useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { useWidth } from '../../components/useWidth';
import { ValueTable } from '../../components/ValueTable';
import { cellLabel } from '../../diagrams/matrixGrid';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { stateHistory, stepOutputs, stepperCheck } from './checks';
import { fmt3 } from './format';
import { useSsmResult, useSsmSteps } from './hooks';
import { MathBlock } from './MathBlock';
import type { SsmResult } from './runtime';
import { InputRow, OutputRow } from './rows';
import { ssmTex } from './tex';

const GUTTER = 44; // SequenceBars' value gutter: the history's cells line up with the bars above.

/** h_{k−1}, h_k and C as the columns of one (N, 3) table: the state row's table alternative. */
function stateTable(prev: ArrayLike<number>, cur: ArrayLike<number>, C: ArrayLike<number>): Float64Array {
  const out = new Float64Array(C.length * 3);
  for (let n = 0; n < C.length; n++) out.set([prev[n], cur[n], C[n]], n * 3);
  return out;
}

function Body({ r, width }: { r: SsmResult; width: number }) {
  const { t } = useTranslation('ssm');
  const steps = useSsmSteps();
  const k = useApp((s) => s.k);
  const h = useSym('h', 'state-col');
  const hHist = useSym('h', 'seq-row');
  const c = useSym('C', 'state-col');
  const { N, L } = r.params;
  const u = r.inputs.u;
  const cur = k >= 1 ? steps[k - 1] : undefined;
  const prev = k >= 2 ? steps[k - 2] : undefined;
  const pending = k >= 1 && !cur;
  const check = stepperCheck(r, steps, k);
  const hExtent = Math.max(1e-6, ...Array.from(r.outputs.states, (v) => Math.abs(v)));
  const zeros = new Float32Array(N);
  const prevH = prev?.x ?? zeros;
  const curH = cur?.x ?? (k === 0 ? zeros : new Float32Array(N).fill(Number.NaN));
  const cell = Math.max(12, Math.min(30, Math.floor(240 / N)));
  const cCell = Math.max(8, Math.min(30, Math.floor((Math.min(width, 420) - 8) / N) - 1));
  // Cells as wide as the bars above (same gutter), so time lines up.
  const histGap = (width - GUTTER) / L >= 6 ? 1 : 0;
  const histCell = Math.max(1, (width - GUTTER) / L - histGap);
  const ch = cur ? Array.from(cur.x, (v, n) => r.inputs.C[n] * v).reduce((a, b) => a + b, 0) : Number.NaN;
  const nL = formatNumber(L);
  const nN = formatNumber(N);
  const xk = k >= 1 ? u[k - 1] : Number.NaN;
  const device = r.backend === 'webgpu' ? 'GPU' : 'CPU';
  /** The state h_at as an N × 1 column, on the scale of the whole run. */
  const stateColumn = (at: number, values: ArrayLike<number>, label: string, testId?: string) => (
    <Captioned bind={h.bind} caption={<Tex tex={`h_{${at}}`} />} kind="grid">
      <MatrixGrid
        values={values}
        rows={N}
        cols={1}
        cell={cell}
        extent={hExtent}
        label={label}
        name={(n) => `h_${at}[${n}]`}
        testId={testId}
        noTable
      />
    </Captioned>
  );

  return (
    <>
      <InputRow r={r} k={k} width={width} view="rec" testId="rec-input" />

      <div className="state-row">
        {stateColumn(Math.max(k - 1, 0), prevH, t('rec.prevLabel', { k: formatNumber(Math.max(k - 1, 0)) }))}
        <div className="state-eq">
          <MathBlock
            tex={String.raw`h_{${Math.max(k, 1)}} = \bar A\,h_{${Math.max(k - 1, 0)}} + \bar B\,x_{${Math.max(k, 1)}}`}
            label={t('math.step')}
          />
          <p>
            <Tex tex="x_k" /> = <b data-testid="x-current">{k >= 1 ? fmt3(xk) : '—'}</b>
          </p>
          <p className="arrow" aria-hidden="true">
            →
          </p>
        </div>
        {stateColumn(k, curH, t('rec.curLabel', { k: formatNumber(k) }), 'state-current')}
        <div className="state-eq">
          <p>
            <Tex tex="y_k = C h_k + D x_k" />
          </p>
          <p>
            = <b data-testid="y-current">{cur ? fmt3(cur.y) : k === 0 ? '—' : '…'}</b>
          </p>
          <p className="small">
            {cur
              ? t('rec.parts', { ch: fmt3(ch), d: fmt3(r.inputs.D), x: xk < 0 ? `(${fmt3(xk)})` : fmt3(xk) })
              : pending
                ? t('rec.reading', { k: formatNumber(k), device })
                : t('rec.press')}
          </p>
          <Captioned
            bind={c.bind}
            caption={
              <Trans t={t} i18nKey="rec.cLabel" components={{ c: <Tex tex="C" /> }} values={{ n: nN }} />
            }
            kind="grid"
          >
            <MatrixGrid
              values={r.inputs.C}
              rows={1}
              cols={N}
              cell={cCell}
              label={t('rec.cAria', { n: nN })}
              name={(_, n) => `C[${n}]`}
              testId="read-out-c"
              noTable
            />
          </Captioned>
        </div>
      </div>

      <ValueTable
        caption={t('rec.stateTable', { prev: formatNumber(Math.max(k - 1, 0)), k: formatNumber(k) })}
        values={stateTable(prevH, curH, r.inputs.C)}
        rows={N}
        cols={3}
        rowName={(n) => String(n)}
        colName={(col) => [`h_${Math.max(k - 1, 0)}`, `h_${k}`, 'C'][col]}
        testId="state-table"
      />

      <OutputRow
        r={r}
        k={k}
        width={width}
        caption={<Trans t={t} i18nKey="rec.output" components={{ y: <Tex tex="y_k" /> }} />}
        values={stepOutputs(L, steps, k)}
        label={t('rec.outputLabel', { n: formatNumber(Math.min(k, steps.length)), L: nL })}
        testId="rec-output"
      />

      <div {...hHist.bind}>
        <div className="seq-label">
          <Trans
            t={t}
            i18nKey="rec.history"
            components={{ h: <Tex tex="h_1 \dots h_k" /> }}
            values={{ N: nN, L: nL }}
          />
        </div>
        <div className="history">
          <MatrixGrid
            values={stateHistory(N, L, steps, k)}
            rows={N}
            cols={L}
            cell={histCell}
            gap={histGap}
            extent={hExtent}
            label={t('rec.historyLabel', { N: nN, L: nL })}
            name={(n, i) => `h_${i + 1}[${n}]`}
            testId="state-history"
          />
        </div>
      </div>

      <Check
        name="stepper"
        label={t('rec.check', { n: formatNumber(check.compared) })}
        maxErr={check.maxErr}
        tolerance={check.tolerance}
        pending={check.compared === 0 ? t('rec.checkPending') : undefined}
      />
      <p className="small">{t('rec.scale', { max: cellLabel(hExtent) })}</p>
    </>
  );
}

/** The section's heading and text; the playback bar follows it in Diagram.tsx. */
export function RecurrentIntro() {
  const { t } = useTranslation('ssm');
  return (
    <TitledSection headingId="sec-rec" title={t('rec.heading')}>
      <MathBlock tex={ssmTex.recurrence} label={t('math.recurrence')} />
      <p>
        <Trans t={t} i18nKey="rec.intro" components={{ h: <Sym s="h" tex="h_k" /> }} />
      </p>
    </TitledSection>
  );
}

export function RecurrentBody() {
  const r = useSsmResult();
  const { t } = useTranslation('ssm');
  const [ref, width] = useWidth<HTMLDivElement>(900);
  return (
    <div ref={ref} className="view view-rec">
      {r ? <Body r={r} width={width} /> : <p className="placeholder">{t('computing')}</p>}
    </div>
  );
}
