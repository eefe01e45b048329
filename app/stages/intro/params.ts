// The intro stage's parameter specs (plain JSON, so they live in the URL): the length L and the reader's
// sentence. L defaults to 64, quick even on a software GPU. Labels: app/locales/<lang>/intro.json.

import { introStage, MAX_TEXT } from '../../../engine';
import type { ParamSpec } from '../types';

export const introStageParams: readonly ParamSpec[] = [
  { kind: 'number', key: 'L', min: 1, max: introStage.INTRO_STAGE_LIMITS.L[1], step: 1, default: 64 },
  { kind: 'text', key: 'text', maxLength: MAX_TEXT, default: introStage.DEFAULT_TEXT },
];
