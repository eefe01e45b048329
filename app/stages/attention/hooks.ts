// The attention stage's typed views of the store's result and step cache.

import { useStageResult, useStageSteps } from '../../store/stageHooks';
import type { AttentionResult, AttentionStep } from './runtime';

export const useAttentionResult = () => useStageResult<AttentionResult>();
export const useAttentionSteps = () => useStageSteps<AttentionStep>();
