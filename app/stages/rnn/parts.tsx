// Small parts the rnn views share: a numbered section, the view of a result once there is one, display math in a region that scrolls on a narrow screen, a state
// column (an H × 1 grid under its symbol, linked to the math), a stepper check, and what every stepped
// view reads from the store (the steps, k, the current and previous step).

import type { ReactNode } from 'react';
import { Check } from '../../components/Check';
import { MatrixGrid } from '../../components/MatrixGrid';
import { TitledSection } from '../../components/parts';
import { ScrollRegion } from '../../components/ScrollRegion';
import { useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { type Cell, sampleOf, stepperCheck } from './checks';
import { useRnnResult, useRnnSteps } from './hooks';
import type { RnnResult } from './runtime';

export function MathRegion({ tex }: { tex: readonly string[] }) {
  const { t } = useTranslation('rnn');
  return (
    <ScrollRegion label={t('mathLabel')}>
      {tex.map((s) => (
        <Tex key={s} tex={s} display />
      ))}
    </ScrollRegion>
  );
}

export function StateColumn(props: {
  sym: string;
  tex: string;
  values: ArrayLike<number>;
  cell: number;
  label: string;
  name: (j: number) => string;
  extent?: number;
  testId?: string;
}) {
  const { bind } = useSym(props.sym, 'state-col');
  return (
    <div {...bind}>
      <div className="grid-label">
        <Tex tex={props.tex} />
      </div>
      <MatrixGrid
        values={props.values}
        rows={props.values.length}
        cols={1}
        cell={props.cell}
        extent={props.extent}
        label={props.label}
        name={props.name}
        testId={props.testId}
        noTable
      />
    </div>
  );
}

export function StepperCheck({ r, cell, label }: { r: RnnResult; cell: Cell; label: (n: number) => string }) {
  const { t } = useTranslation('rnn');
  const steps = useRnnSteps();
  const k = useApp((s) => s.k);
  const check = stepperCheck(r, steps, k, cell);
  return (
    <Check
      name={cell === 'elman' ? 'stepper-rnn' : 'stepper-lstm'}
      label={label(check.compared)}
      maxErr={check.maxErr}
      tolerance={check.tolerance}
      pending={check.compared === 0 ? t('pendingStep') : undefined}
    />
  );
}

/** The steps read back, k, the current and previous step, and the sentence's (H,) slice of a (2, H) pair. */
export function useStepView(r: RnnResult) {
  const steps = useRnnSteps();
  const k = useApp((s) => s.k);
  const { H } = r.params;
  const unknown = new Float64Array(H).fill(Number.NaN);
  return {
    steps,
    k,
    cur: k >= 1 ? steps[k - 1] : undefined,
    prev: k >= 2 ? steps[k - 2] : undefined,
    /** Zeros before the first step (h_0 = c_0 = 0); NaN while a step is still being read back. */
    state: (pair: ArrayLike<number> | undefined, initial: boolean) =>
      initial ? new Float64Array(H) : pair ? sampleOf(pair, H) : unknown,
  };
}

/** A section of the stage: its heading is the catalog's `<id>.title`. */
export function Section({ id, children }: { id: string; children: ReactNode }) {
  const { t } = useTranslation('rnn');
  return (
    <TitledSection headingId={`rnn-sec-${id}`} title={t(`${id}.title`)}>
      {children}
    </TitledSection>
  );
}

/** The view of the current result, or a placeholder until the first one arrives. */
export function WithResult({ children }: { children: (r: RnnResult) => ReactNode }) {
  const { t } = useTranslation('rnn');
  const r = useRnnResult();
  return r ? children(r) : <p className="placeholder">{t('computing')}</p>;
}
