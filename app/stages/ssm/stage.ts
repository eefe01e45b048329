// The `ssm` stage: the continuous state space model, its discretization, and its two computational
// views (recurrent and convolutional), all computed live by engine/stages/ssm.ts.

import { ssmStage as engineStage } from '../../../engine';
import { formatNumber } from '../../i18n';
import { defineStage } from '../define';
import { fmt3 } from './format';
import { withMathFonts } from './mathFonts';
import { ssmStageParams } from './params';
import { type SsmResult, type SsmStep, ssmRuntime } from './runtime';
import { ssmTex } from './tex';

/** The sentence the Narrator speaks after "Step k of n.": x_k, y_k and the largest entry of h_k, in words. */
export function narrateSsm(
  t: (key: string, values?: Record<string, unknown>) => string,
  k: number,
  result: unknown,
  steps: readonly unknown[],
): string | null {
  const r = result as SsmResult | null;
  if (!r) return null;
  if (k === 0) return t('narrate.start');
  const s = (steps as readonly SsmStep[])[k - 1];
  if (!s) return null;
  let n = 0;
  for (let i = 1; i < s.x.length; i++) if (Math.abs(s.x[i]) > Math.abs(s.x[n])) n = i;
  return t('narrate.step', {
    k: formatNumber(k),
    x: fmt3(r.inputs.u[k - 1]),
    y: fmt3(s.y),
    n: formatNumber(n),
    h: fmt3(s.x[n]),
  });
}

export const ssmStage = defineStage({
  id: 'ssm',
  tex: ssmTex,
  prose: () => import('./Prose').then((m) => m.SsmProse),
  diagram: () => import('./Diagram').then((m) => m.SsmDiagram),
  // Both parts wait for the math fonts, so the math is laid out once, with its own fonts, and the page
  // does not shift.
  wrapLoad: withMathFonts,
  program: engineStage.program,
  params: ssmStageParams,
  playback: true,
  runtime: ssmRuntime,
  narrate: narrateSsm,
});
