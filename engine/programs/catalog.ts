// The catalogue of programs and steppers, by family: what the stages, the race and the benchmark draw on.
// Re-exports only; each program lives in its own file beside its kernel.

export { hippoLegsProgram } from './s4/hippoLegs';
export { discretizeDenseProgram } from './s4/discretizeDense';
export { s4KernelProgram } from './s4/s4Kernel';
export { s4dKernelProgram } from './s4/s4dKernel';
export { ssmScanProgram } from './s4/ssmScan';
export { createDenseScanStepper, denseScanStepCount } from './s4/ssmScanStepper';
export { ssmConvProgram } from './s4/ssmConv';
export { fftConvProgram } from './s4/fftConv';
export { s4PipelineProgram } from './s4/s4Pipeline';
export { hippoLegsOnlineProgram } from './s4/hippoLegsOnline';
export {
  createHippoLegsOnlineStepper,
  hippoLegsOnlineStepCount,
} from './s4/hippoLegsOnlineStepper';

export { selectiveScanChunkedProgram } from './mamba/selectiveScanChunked';
export {
  selectiveScanSequentialProgram,
  createSelectiveScanStepper,
  selectiveScanStepCount,
} from './mamba/selectiveScanSequential';
export { createScanLevelStepper, scanLevelStepCount } from './mamba/selectiveScanLevels';
export { selectiveScanTileProgram } from './mamba/selectiveScanTile';
export { selectiveScanSegmentsProgram } from './mamba/selectiveScanSegments';
export { selectiveScanSplitProgram } from './mamba/selectiveScanSplit';
export { selectiveStateUpdateProgram } from './mamba/selectiveStateUpdate';
export { causalConv1dProgram } from './mamba/causalConv1d';
export { causalConv1dUpdateProgram } from './mamba/causalConv1dUpdate';

export { segsumProgram } from './ssd/segsum';
export { ssdChunkedProgram } from './ssd/ssdChunked';
export { ssdFastProgram } from './ssd/ssdFast';
export { ssdMatrixProgram } from './ssd/ssdMatrix';
export { ssdQuadraticProgram } from './ssd/ssdQuadratic';
export { ssdRecurrentProgram } from './ssd/ssdRecurrent';
export { mamba2Program } from './ssd/mamba2Combined';
export { createMamba2Stepper, mamba2StepCount, SSD_PHASE_NAMES } from './ssd/mamba2Stepper';

export { naiveAttentionProgram } from './attention/naiveAttention';
export { flashAttentionProgram } from './attention/flashAttention';
export { flashAttentionFastProgram } from './attention/flashAttentionFast';
export { flashAttentionMatrixProgram } from './attention/flashAttentionMatrix';
export { flashDecodingProgram } from './attention/flashDecoding';
export { flashDecodingFastProgram } from './attention/flashDecodingFast';
export { createFlashAttentionStepper, flashAttentionStepCount } from './attention/flashAttentionStepper';
export { attentionBackwardProgram } from './attention/attentionBackward';
export { flashAttentionBackwardProgram } from './attention/flashAttentionBackward';

export { linearAttentionRecurrentProgram } from './linearAttention/linearAttentionRecurrent';
export { linearAttentionChunkedProgram } from './linearAttention/linearAttentionChunked';
export { linearAttentionParallelProgram } from './linearAttention/linearAttentionParallel';
export {
  createLinearAttentionStepper,
  linearAttentionStepCount,
} from './linearAttention/linearAttentionStepper';
export {
  simpleGlaRecurrentProgram,
  simpleGlaChunkedProgram,
  simpleGlaParallelProgram,
} from './linearAttention/simpleGla';
export { retentionParallelProgram } from './linearAttention/retentionParallel';
export { glaRecurrentProgram } from './linearAttention/glaRecurrent';
export { rwkv6RecurrentProgram } from './linearAttention/rwkv6Recurrent';
export { rwkv6ChunkedProgram } from './linearAttention/rwkv6Chunked';
export { createRwkv6Stepper, rwkv6StepCount } from './linearAttention/rwkv6Stepper';

export { rnnStepProgram } from './rnn/rnnStep';
export { elmanRnnProgram } from './rnn/elmanRnn';
export { createRnnStepper, rnnStepCount } from './rnn/rnnStepper';
export { lstmProgram } from './rnn/lstm';
export { createLstmStepper, lstmStepCount } from './rnn/lstmStepper';

export { matmulProgram } from './layers/matmul';
export { rmsNormGatedProgram } from './layers/rmsNormGated';
export { transposeProgram } from './layers/strided';
