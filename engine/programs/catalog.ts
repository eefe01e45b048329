// The catalogue of programs and steppers, by family: what the stages, the race and the benchmark draw on.
// Re-exports only; each program lives in its own file beside its kernel.

export { hippoLegsProgram } from './hippoLegs';
export { discretizeDenseProgram } from './discretizeDense';
export { s4KernelProgram } from './s4Kernel';
export { s4dKernelProgram } from './s4dKernel';
export { ssmScanProgram } from './ssmScan';
export { ssmConvProgram } from './ssmConv';
export { fftConvProgram } from './fftConv';
export { s4PipelineProgram } from './s4Pipeline';

export { selectiveScanChunkedProgram } from './selectiveScanChunked';
export { selectiveScanSequentialProgram, createSelectiveScanStepper } from './selectiveScanSequential';
export { createScanLevelStepper } from './selectiveScanLevels';
export { selectiveStateUpdateProgram } from './selectiveStateUpdate';
export { causalConv1dProgram } from './causalConv1d';
export { causalConv1dUpdateProgram } from './causalConv1dUpdate';

export { segsumProgram } from './segsum';
export { ssdChunkedProgram } from './ssdChunked';
export { ssdQuadraticProgram } from './ssdQuadratic';
export { ssdRecurrentProgram } from './ssdRecurrent';
export { mamba2Program } from './mamba2Combined';
export { createMamba2Stepper, SSD_PHASE_NAMES } from './mamba2Stepper';

export { naiveAttentionProgram } from './naiveAttention';
export { flashAttentionProgram } from './flashAttention';
export { flashDecodingProgram } from './flashDecoding';
export { FlashAttentionStepper } from './flashAttentionStepper';

export { linearAttentionRecurrentProgram } from './linearAttentionRecurrent';
export { linearAttentionChunkedProgram } from './linearAttentionChunked';
export { linearAttentionParallelProgram } from './linearAttentionParallel';
export { createLinearAttentionStepper } from './linearAttentionStepper';
export { simpleGlaRecurrentProgram, simpleGlaChunkedProgram, simpleGlaParallelProgram } from './simpleGla';
export { retentionParallelProgram } from './retentionParallel';
export { glaRecurrentProgram } from './glaRecurrent';

export { rnnStepProgram } from './rnnStep';
export { elmanRnnProgram } from './elmanRnn';
export { createRnnStepper } from './rnnStepper';
