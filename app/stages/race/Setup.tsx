// The race's setup: the preset, the lengths and the budget (ParamControls, kept in the URL), and the
// algorithms as checkboxes (ticking one makes the choice custom). Disabled while a race runs.

import { memo } from 'react';
import { ParamControls } from '../../components/ParamControls';
import { Trans, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { raceStageParams, SHOWN_PARAMS } from './params';
import type { RaceResult } from './runtime';

export const Setup = memo(function Setup({
  r,
  disabled,
  name,
}: {
  r: RaceResult;
  disabled: boolean;
  name: (id: string) => string;
}) {
  const { t } = useTranslation('race');
  const setParams = useApp((s) => s.setParams);
  const params = useApp((s) => s.params);
  const toggle = (id: string, on: boolean) => {
    const ids = r.algorithms.map((a) => a.id).filter((x) => (x === id ? on : r.plan.ids.includes(x)));
    setParams({ ...params, preset: 'custom', algs: ids.join(',') });
  };
  return (
    <fieldset className="setup race-setup" disabled={disabled}>
      <legend className="visually-hidden">{t('setup.legend')}</legend>
      <ParamControls specs={raceStageParams} keys={SHOWN_PARAMS} />
      {r.plan.software && (
        <p className="race-note" data-testid="race-software">
          <Trans t={t} i18nKey="setup.software" components={{ code: <code /> }} />
        </p>
      )}
      <details className="race-algorithms">
        <summary>{t('setup.algorithms', { n: r.plan.ids.length, of: r.algorithms.length })}</summary>
        <ul>
          {r.algorithms.map((a) => (
            <li key={a.id}>
              <label>
                <input
                  type="checkbox"
                  data-testid={`race-alg-${a.id}`}
                  checked={r.plan.ids.includes(a.id)}
                  onChange={(e) => toggle(a.id, e.currentTarget.checked)}
                />{' '}
                {name(a.id)}
              </label>
            </li>
          ))}
        </ul>
      </details>
    </fieldset>
  );
});
