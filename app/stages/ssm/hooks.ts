// The ssm stage's typed views of the store's result and step cache.

import { useStageResult, useStageSteps } from '../../store/stageHooks';
import type { SsmResult, SsmStep } from './runtime';

export const useSsmResult = () => useStageResult<SsmResult>();
export const useSsmSteps = () => useStageSteps<SsmStep>();
