// Section 5: autoregressive decoding with a growing KV cache, one engine step per token. Step k appends
// token k's k and v to the cache and computes its attention row; the weights, o_k and the step's measured
// time are what the stepper read back. Stepping back shows cached values.

import { Check } from '../../components/Check';
import { MatrixGrid } from '../../components/MatrixGrid';
import { Captioned, TitledSection } from '../../components/parts';
import { PlaybackControls } from '../../components/PlaybackControls';
import { ScrollRegion } from '../../components/ScrollRegion';
import { SequenceBars } from '../../components/SequenceBars';
import { Tex } from '../../components/Tex';
import { formatBytes, formatNumber, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { cacheRows, decodeCheck, kvHeadOf, stepTimes, weightsRow } from './checks';
import { useAttentionSteps } from './hooks';
import { cellFor, Tokens } from './QkvSection';
import type { AttentionResult } from './runtime';
import { attentionTex } from './tex';

const ms = (v: number) => formatNumber(v, { maximumSignificantDigits: 3 });

export function DecodeSection({ r, head, width }: { r: AttentionResult; head: number; width: number }) {
  const { t } = useTranslation('attention');
  const steps = useAttentionSteps();
  const k = useApp((s) => s.k);
  const stepError = useApp((s) => s.stepError);
  const { h, hk, d, causal } = r.params;
  const L = r.inputs.tokens.length;
  const g = kvHeadOf(head, h, hk);
  const cur = k >= 1 ? steps[k - 1] : undefined;
  const check = decodeCheck(r, steps, k);
  const times = stepTimes(steps, L, k);
  const total = Array.from(times).reduce((a, v) => (Number.isFinite(v) ? a + v : a), 0);
  const clock = steps[0]?.clock ?? (r.backend === 'webgpu' ? 'gpu-timestamp' : 'cpu-wall');
  const batchedRow = (t0: number) =>
    Array.from({ length: L }, (_, j) =>
      causal && j <= t0 ? r.outputs.P[(head * L + t0) * L + j] : Number.NaN,
    );
  const cell = cellFor(width, 2 * d, 6, 20);
  return (
    <TitledSection headingId="sec-decode" title={t('decode.title')} className="playzone">
      <ScrollRegion label={t('decode.math')}>
        <Tex tex={attentionTex.decode} display />
      </ScrollRegion>
      <p>{t('decode.intro')}</p>
      <PlaybackControls />
      <Tokens tokens={r.inputs.tokens} active={k - 1} />
      <p data-testid="decode-status">
        {k === 0
          ? t('decode.start')
          : cur
            ? t('decode.step', { k, cache: cur.cacheLen, bytes: formatBytes(cur.cacheBytes) })
            : t('decode.pending', { k })}
      </p>
      <ScrollRegion label={t('decode.cache')}>
        <div className="grids">
          {(['k', 'v'] as const).map((which) => (
            <div key={which} className="view">
              <div className="grid-label">
                <Tex tex={`${which.toUpperCase()}^{(${g + 1})}_{1..${Math.max(k, 1)}}`} />{' '}
                {t('decode.cacheOf', { g: g + 1 })}
              </div>
              <MatrixGrid
                values={cacheRows(steps, k, L, r.params, g, which)}
                rows={L}
                cols={d}
                cell={cell}
                label={t(`decode.${which}Cache`, { g: g + 1, k })}
                name={(i, c) => `${which.toUpperCase()}[${i + 1}, ${c + 1}]`}
                testId={`cache-${which}`}
              />
            </div>
          ))}
        </div>
      </ScrollRegion>
      <Captioned
        className="seq-row"
        kind="seq"
        caption={t('decode.weights', { head: head + 1, k: Math.max(k, 1) })}
      >
        <SequenceBars
          values={weightsRow(cur, L, head)}
          dots={batchedRow(k - 1)}
          width={width}
          domain={[0, 1]}
          tone="kernel"
          label={t('decode.weightsLabel', { head: head + 1, k })}
          name={(j) => `p[${j + 1}]`}
          testId="decode-weights"
        />
      </Captioned>
      <Captioned className="seq-row" kind="seq" caption={t('decode.out', { head: head + 1 })}>
        <SequenceBars
          values={
            cur
              ? Array.from({ length: d }, (_, c) => cur.out[head * d + c])
              : new Float64Array(d).fill(Number.NaN)
          }
          dots={
            k >= 1
              ? Array.from({ length: d }, (_, c) => r.outputs.outCausal[((k - 1) * h + head) * d + c])
              : undefined
          }
          width={Math.min(width, 40 + 28 * d)}
          tone="output"
          label={t('decode.outLabel', { head: head + 1, k })}
          name={(c) => `o[${c + 1}]`}
          testId="decode-out"
        />
      </Captioned>
      <Captioned className="seq-row" kind="seq" caption={t(`decode.clock.${clock}`)}>
        <SequenceBars
          values={times}
          knownUpTo={Math.min(k, steps.length)}
          width={width}
          tone="state"
          label={t('decode.timesLabel', { k: Math.min(k, steps.length) })}
          name={(i) => t('decode.timeName', { k: i + 1 })}
          testId="decode-times"
        />
        <p className="small" data-testid="decode-total">
          {t('decode.total', { n: Math.min(k, steps.length), ms: ms(total) })}
        </p>
      </Captioned>
      {stepError && (
        <p className="error" role="alert">
          {t('decode.error', { error: stepError })}
        </p>
      )}
      <Check
        name="decode"
        label={t('checks.decode', { n: check.compared })}
        maxErr={check.maxErr}
        tolerance={check.tolerance}
        pending={check.compared === 0 ? t('checks.decodePending') : undefined}
      />
      {!causal && <p className="small">{t('decode.alwaysCausal')}</p>}
    </TitledSection>
  );
}
