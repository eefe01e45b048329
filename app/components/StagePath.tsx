// The path through the explainer. Built stages are links; the others are marked "coming" and inert.

import { builtStages, stages } from '../stages/registry';
import { defaultParams } from '../stages/types';
import { useApp } from '../store';

export function StagePath() {
  const current = useApp((s) => s.stageId);
  const setStage = useApp((s) => s.setStage);
  return (
    <nav className="path" aria-label="Stages">
      <ol>
        {stages.map((st) => (
          <li key={st.id} className={st.id === current ? 'current' : st.status}>
            {st.status === 'coming' ? (
              <span aria-disabled="true" title="Not built yet">
                {st.title} <small>coming</small>
              </span>
            ) : (
              <a
                href={`?stage=${st.id}`}
                aria-current={st.id === current ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  const def = builtStages.find((b) => b.id === st.id);
                  if (def && st.id !== current) setStage(def.id, defaultParams(def.params));
                }}
              >
                {st.title}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
