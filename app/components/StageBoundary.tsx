// An error boundary around every stage: an exception while rendering shows what failed, in words, with a
// way to retry (which renders the stage afresh), instead of a blank page.

import { Component, type ReactNode } from 'react';
import { i18n } from '../i18n';
import { disarmRenderFault } from '../runtime/faults';

interface State {
  error: Error | null;
  attempt: number;
}

export class StageBoundary extends Component<{ children: ReactNode; stageId: string }, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidUpdate(prev: { stageId: string }) {
    if (prev.stageId !== this.props.stageId && this.state.error) this.setState({ error: null });
  }

  override componentDidCatch(error: unknown) {
    disarmRenderFault();
    console.error('seqscope: a stage failed to render', error);
  }

  override render() {
    const { error, attempt } = this.state;
    if (!error) return <div key={attempt}>{this.props.children}</div>;
    const t = i18n.getFixedT(null, 'common');
    return (
      <div className="error stage-error" role="alert" data-testid="stage-error">
        <p>
          <b>{t('boundary.title')}</b>
        </p>
        <p>{t('boundary.detail', { error: error.message })}</p>
        <button type="button" onClick={() => this.setState({ error: null, attempt: attempt + 1 })}>
          {t('boundary.retry')}
        </button>
      </div>
    );
  }
}
