// The rows the ssm views are built of: a sequence under its caption and a grid under its caption, each
// linked to its symbol (hover or focus on the row lights the symbol in the text), and the input x, which
// the recurrent and the convolution view both show.

import type { ReactNode } from 'react';
import { SequenceBars } from '../../components/SequenceBars';
import { type SymBinding, useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import type { SsmResult } from './runtime';

/** A sequence (`kind` seq) or a grid under its caption (class seq-label or grid-label). */
export function Captioned({
  bind,
  caption,
  kind,
  children,
}: {
  bind: SymBinding;
  caption: ReactNode;
  kind: 'seq' | 'grid';
  children: ReactNode;
}) {
  return (
    <div {...bind}>
      <div className={`${kind}-label`}>{caption}</div>
      {children}
    </div>
  );
}

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
