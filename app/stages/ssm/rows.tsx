// The rows the recurrent and the convolution view both show: the input x and the output y, each under
// its caption and linked to its symbol (hover or focus on the row lights the symbol in the text).

import type { ReactNode } from 'react';
import { Captioned } from '../../components/parts';
import { SequenceBars } from '../../components/SequenceBars';
import { useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { valueDomain } from '../../diagrams/sequence';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import type { SsmResult } from './runtime';

/** The input x with step k marked: the first row of the recurrent (`rec`) and the convolution view. */
export function InputRow({
  r,
  k,
  width,
  view,
  testId,
}: {
  r: SsmResult;
  k: number;
  width: number;
  view: 'rec' | 'conv';
  testId?: string;
}) {
  const { t } = useTranslation('ssm');
  const x = useSym('x', 'seq-row');
  return (
    <Captioned
      bind={x.bind}
      kind="seq"
      caption={
        <Trans
          t={t}
          i18nKey={`${view}.input`}
          components={{ x: <Tex tex={view === 'rec' ? 'x_k' : 'x'} /> }}
        />
      }
    >
      <SequenceBars
        values={r.inputs.u}
        width={width}
        label={t(`${view}.inputLabel`, { L: formatNumber(r.params.L) })}
        active={k - 1}
        tone="input"
        name={(i) => `x_${i + 1}`}
        testId={testId}
      />
    </Captioned>
  );
}

/** The output y with step k marked, on one scale for both of its forms (recurrence and convolution). */
export function OutputRow({
  r,
  k,
  width,
  caption,
  values,
  dots,
  label,
  testId,
}: {
  r: SsmResult;
  k: number;
  width: number;
  caption: ReactNode;
  values: ArrayLike<number>;
  dots?: ArrayLike<number>;
  label: string;
  testId: string;
}) {
  const y = useSym('y', 'seq-row');
  return (
    <Captioned bind={y.bind} kind="seq" caption={caption}>
      <SequenceBars
        values={values}
        dots={dots}
        width={width}
        label={label}
        active={k - 1}
        domain={valueDomain(r.outputs.yRec, r.outputs.yConv)}
        tone="output"
        name={(i) => `y_${i + 1}`}
        testId={testId}
      />
    </Captioned>
  );
}
