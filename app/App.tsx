// The page: header (title, display choices, link, engine badge), the path of stages, reader messages, and
// the current stage (title, prose, diagram, what the GPU did, the kernel), each stage inside an error
// boundary. A failure is shown in words, never as a blank page.

import { lazy, Suspense, useMemo } from 'react';
import { EmbedSnippet } from './components/EmbedSnippet';
import { EngineBadge } from './components/EngineBadge';
import { Narrator } from './components/Narrator';
import { Notices } from './components/Notices';
import { Prefs } from './components/Prefs';
import { ShareLink } from './components/ShareLink';
import { StageBoundary } from './components/StageBoundary';
import { StagePath } from './components/StagePath';
import { Trans, useTranslation } from './i18n';
import { useRenderFault } from './runtime/faults';
import { findBuiltStage } from './stages/registry';
import type { BuiltStage } from './stages/types';
import { useApp } from './store';

// What the GPU did and the kernel that ran: loaded with the first stage, not in the first JavaScript.
const StageRanPanels = lazy(() => import('./components/GpuPanel'));

function ComputeStatus() {
  const status = useApp((s) => s.compute.status);
  const error = useApp((s) => s.compute.error);
  const stepError = useApp((s) => s.stepError);
  const { t } = useTranslation('common');
  if (status === 'error')
    return (
      <p className="error" role="alert" data-testid="compute-error">
        {t('app.computeError', { error })}
      </p>
    );
  if (stepError)
    return (
      <p className="error" role="alert" data-testid="step-error">
        {t('app.stepError', { error: stepError })}
      </p>
    );
  return null;
}

function Stage({ stage }: { stage: BuiltStage }) {
  const busy = useApp((s) => s.compute.status === 'running');
  const { t } = useTranslation('common');
  useRenderFault();
  // The same elements on every render: toggling busy re-renders the frame, not the whole stage (its
  // parts read the store themselves).
  const prose = useMemo(() => <stage.Prose />, [stage]);
  const diagram = useMemo(() => <stage.Diagram />, [stage]);
  return (
    <article className={busy ? 'stage busy' : 'stage'} data-testid={`stage-${stage.id}`} aria-busy={busy}>
      <h2>{t(`stages.${stage.id}.title`)}</h2>
      <Suspense fallback={<p className="placeholder">{t('app.loadingStage')}</p>}>
        {prose}
        <ComputeStatus />
        {diagram}
        <Suspense fallback={null}>
          <StageRanPanels />
        </Suspense>
        <Narrator stage={stage} />
      </Suspense>
    </article>
  );
}

export function App() {
  const stageId = useApp((s) => s.stageId);
  const stage = findBuiltStage(stageId);
  const { t } = useTranslation('common');
  // Embedded (?embed=1): the stage alone, with a slim bar (display choices, a link out, the badge); the
  // path only when the course page offers several stages, and no footer.
  const embedding = useApp((s) => s.embedding);
  const embed = embedding.embed;
  return (
    <>
      <a className="skip" href="#stage">
        {t('app.skip')}
      </a>
      <header className={embed ? 'top top-embed' : 'top'}>
        <div className={embed ? 'brand visually-hidden' : 'brand'}>
          <h1>{t('app.title')}</h1>
          <p>{t('app.tagline')}</p>
        </div>
        <div className="top-right">
          <Prefs />
          <ShareLink />
          {!embed && <EmbedSnippet />}
          <EngineBadge />
        </div>
      </header>
      {(!embed || (embedding.stages?.length ?? 0) > 1) && <StagePath />}
      <main id="stage" tabIndex={-1}>
        <Notices />
        {stage ? (
          <StageBoundary stageId={stage.id}>
            <Stage stage={stage} />
          </StageBoundary>
        ) : (
          <p className="error">{t('app.unknownStage')}</p>
        )}
      </main>
      {!embed && (
        <footer className="foot">
          <p>
            <Trans t={t} i18nKey="app.footer" components={{ kbd: <kbd />, code: <code /> }} />
          </p>
        </footer>
      )}
    </>
  );
}
