// The intro stage's typed view of the store's result.

import { useStageResult } from '../../store/stageHooks';
import type { IntroResult } from './runtime';

export const useIntroResult = () => useStageResult<IntroResult>();
