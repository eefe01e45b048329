// The page: header (title, path of stages, engine badge), reader messages, and the current stage
// (title, prose, diagram). A failure is shown in words, never as a blank page.

import { Suspense } from 'react';
import { EngineBadge } from './components/EngineBadge';
import { Notices } from './components/Notices';
import { ShareLink } from './components/ShareLink';
import { StagePath } from './components/StagePath';
import { findBuiltStage } from './stages/registry';
import { useApp } from './store';

function ComputeStatus() {
  const status = useApp((s) => s.compute.status);
  const error = useApp((s) => s.compute.error);
  if (status !== 'error') return null;
  return (
    <p className="error" role="alert" data-testid="compute-error">
      The engine could not compute this view: {error}
    </p>
  );
}

export function App() {
  const stageId = useApp((s) => s.stageId);
  const stage = findBuiltStage(stageId);
  const busy = useApp((s) => s.compute.status === 'running');
  return (
    <>
      <header className="top">
        <div className="brand">
          <h1>Seqscope</h1>
          <p>Sequence models, from RNNs to Mamba-2, computed live.</p>
        </div>
        <div className="top-right">
          <ShareLink />
          <EngineBadge />
        </div>
      </header>
      <StagePath />
      <main>
        <Notices />
        {stage ? (
          <article
            className={busy ? 'stage busy' : 'stage'}
            data-testid={`stage-${stage.id}`}
            aria-busy={busy}
          >
            <h2>{stage.title}</h2>
            <Suspense fallback={<p className="placeholder">Loading the stage…</p>}>
              <stage.Prose />
              <ComputeStatus />
              <stage.Diagram />
            </Suspense>
          </article>
        ) : (
          <p className="error">Unknown stage.</p>
        )}
      </main>
      <footer className="foot">
        <p>
          Shortcuts: <kbd>Space</kbd> play/pause, <kbd>←</kbd> <kbd>→</kbd> step. The address bar always links
          to exactly this view. Add <code>?backend=cpu</code> to use the CPU reference.
        </p>
      </footer>
    </>
  );
}
