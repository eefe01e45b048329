// Controls for a stage's parameter specs: sliders for numbers, selects for choices, a text field for the
// reader's own sentence. Each writes one param through a store action; the URL and the engine follow.
// Labels come from the stage's catalog: params.<key>.label and params.<key>.options.<value>.

import { type ReactNode, useEffect, useState } from 'react';
import { MAX_TOKENS, tokenize } from '../../engine';
import { formatNumber, useTranslation } from '../i18n';
import {
  type ChoiceParamSpec,
  type NumberParamSpec,
  type ParamSpec,
  type TextParamSpec,
  withoutControlChars,
} from '../stages/types';
import { useApp } from '../store';

/** The label that names a control, from the current stage's namespace. */
function Param({ spec, children }: { spec: ParamSpec; children: (id: string) => ReactNode }) {
  const stageId = useApp((s) => s.stageId);
  const { t } = useTranslation(stageId);
  const id = `param-${spec.key}`;
  return (
    <div className={`param param-${spec.kind}`}>
      <label htmlFor={id}>{t(`params.${spec.key}.label`)}</label>
      {children(id)}
    </div>
  );
}

function NumberControl({ spec }: { spec: NumberParamSpec }) {
  const value = useApp((s) => s.params[spec.key]);
  const setParam = useApp((s) => s.setParam);
  return (
    <Param spec={spec}>
      {(id) => (
        <>
          <input
            id={id}
            data-testid={id}
            type="range"
            min={spec.min}
            max={spec.max}
            step={spec.step}
            value={Number(value)}
            onChange={(e) => setParam(spec.key, Number(e.currentTarget.value))}
          />
          <output htmlFor={id} className="param-value">
            {formatNumber(Number(value), { maximumFractionDigits: 4 })}
          </output>
        </>
      )}
    </Param>
  );
}

function ChoiceControl({ spec }: { spec: ChoiceParamSpec }) {
  const value = useApp((s) => s.params[spec.key]);
  const setParam = useApp((s) => s.setParam);
  const stageId = useApp((s) => s.stageId);
  const { t } = useTranslation(stageId);
  return (
    <Param spec={spec}>
      {(id) => (
        <select
          id={id}
          data-testid={id}
          value={String(value)}
          onChange={(e) => setParam(spec.key, e.currentTarget.value)}
        >
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {t(`params.${spec.key}.options.${o}`)}
            </option>
          ))}
        </select>
      )}
    </Param>
  );
}

/** The reader's own text: edited freely, applied on Enter or when the field loses focus. */
function TextControl({ spec }: { spec: TextParamSpec }) {
  const value = String(useApp((s) => s.params[spec.key]));
  const setParam = useApp((s) => s.setParam);
  const { t } = useTranslation('common');
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const apply = () => {
    if (draft !== value) setParam(spec.key, draft);
  };
  const count = tokenize(draft, MAX_TOKENS).length;
  return (
    <Param spec={spec}>
      {(id) => (
        <form
          className="text-param"
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
        >
          <input
            id={id}
            data-testid={id}
            type="text"
            value={draft}
            maxLength={spec.maxLength}
            onChange={(e) => setDraft(withoutControlChars(e.currentTarget.value))}
            onBlur={apply}
            aria-describedby={`${id}-count`}
            spellCheck={false}
          />
          <button type="submit">{t('text.apply')}</button>
          <small id={`${id}-count`}>{count > 0 ? t('text.tokens', { count }) : t('text.empty')}</small>
        </form>
      )}
    </Param>
  );
}

export function ParamControls({ specs, keys }: { specs: readonly ParamSpec[]; keys?: readonly string[] }) {
  const shown = keys ? specs.filter((s) => keys.includes(s.key)) : specs;
  return (
    <div className="params">
      {shown.map((spec) =>
        spec.kind === 'number' ? (
          <NumberControl key={spec.key} spec={spec} />
        ) : spec.kind === 'choice' ? (
          <ChoiceControl key={spec.key} spec={spec} />
        ) : (
          <TextControl key={spec.key} spec={spec} />
        ),
      )}
    </div>
  );
}
