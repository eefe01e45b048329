// The rnn stage's typed views of the store's result and step cache.

import { useStageResult, useStageSteps } from '../../store/stageHooks';
import type { RnnResult, RnnStep } from './runtime';

export const useRnnResult = () => useStageResult<RnnResult>();
export const useRnnSteps = () => useStageSteps<RnnStep>();
