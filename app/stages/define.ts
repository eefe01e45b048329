// One way to write a stage definition (BuiltStage): the Prose and Diagram loaded on demand (KaTeX and d3
// come with them, so the shell and the engine start first), only the engine program's id and title kept,
// and a narrate typed by the stage's own result and step instead of cast from unknown.

import { type ComponentType, lazy } from 'react';
import type { BuiltStage, ParamSpec, StageRuntime } from './types';

type Loader = () => Promise<{ default: ComponentType }>;

export interface StageParts<R, S> {
  id: string;
  tex: BuiltStage['tex'];
  /** Loads the stage's Prose, e.g. `() => import('./Prose').then((m) => m.SsmProse)`. */
  prose: () => Promise<ComponentType>;
  diagram: () => Promise<ComponentType>;
  /** Wraps both loaders, e.g. to wait for the math fonts before the parts render (the ssm stage). */
  wrapLoad?: (load: Loader) => Loader;
  program: { id: string; title: string };
  params: readonly ParamSpec[];
  playback: boolean;
  runtime: StageRuntime<R, S>;
  /** BuiltStage.narrate with the stage's types: `result` is the store's run result, `steps` its steps. */
  narrate?: (
    t: (key: string, values?: Record<string, unknown>) => string,
    k: number,
    result: R | null,
    steps: readonly S[],
  ) => string | null;
}

export function defineStage<R, S>(p: StageParts<R, S>): BuiltStage {
  const part = (load: () => Promise<ComponentType>) => {
    const loader: Loader = () => load().then((c) => ({ default: c }));
    return lazy(p.wrapLoad ? p.wrapLoad(loader) : loader);
  };
  return {
    status: 'built',
    id: p.id,
    tex: p.tex,
    Prose: part(p.prose),
    Diagram: part(p.diagram),
    program: { id: p.program.id, title: p.program.title },
    params: p.params,
    playback: p.playback,
    runtime: p.runtime as BuiltStage['runtime'],
    ...(p.narrate ? { narrate: p.narrate as BuiltStage['narrate'] } : {}),
  };
}
