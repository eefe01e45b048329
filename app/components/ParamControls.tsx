// Controls for a stage's parameter specs: sliders for numbers, selects for choices. Each writes one param
// through a store action; the URL and the engine follow from the store.

import type { ReactNode } from 'react';
import type { ParamSpec } from '../stages/types';
import { useApp } from '../store';

/** The spec's current value, its setter, and the label that names the control. */
function Param({ spec, children }: { spec: ParamSpec; children: (id: string) => ReactNode }) {
  const id = `param-${spec.key}`;
  return (
    <div className="param">
      <label htmlFor={id}>{spec.label}</label>
      {children(id)}
    </div>
  );
}

function NumberControl({ spec }: { spec: Extract<ParamSpec, { kind: 'number' }> }) {
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
            {String(value)}
          </output>
        </>
      )}
    </Param>
  );
}

function ChoiceControl({ spec }: { spec: Extract<ParamSpec, { kind: 'choice' }> }) {
  const value = useApp((s) => s.params[spec.key]);
  const setParam = useApp((s) => s.setParam);
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
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
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
        ) : (
          <ChoiceControl key={spec.key} spec={spec} />
        ),
      )}
    </div>
  );
}
