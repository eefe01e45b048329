// The engine's public surface: the only module app/ imports. Plain TypeScript, no React, no zustand.

export { requestGpu } from './gpu/device';
export type { Gpu, GpuResult, GpuStatus, GpuFeatures } from './gpu/device';
export { EngineError } from './gpu/errors';
export { loadBundledShaders } from './browser';
export { runOn } from './programs/types';
export type { Program, RunOptions, RunResult, Host } from './programs/types';
export type { TraceEvent, TraceCapture, TraceKindName } from './trace/events';
export { maxAbsDiff, maxAbs, relCheck } from './util/compare';
export { Rng } from './util/rng';
export type {
  Signal,
  Disc,
  SsmStageParams,
  SsmStageInputs,
  SsmStageOutputs,
  SsmStepper,
  CreateSsmStepper,
} from './programs/ssmStageTypes';
export { ssmStageProgram, createSsmStepper } from './programs/ssmStage';
export { validateSsmStageParams, SSM_STAGE_LIMITS, ssmSignal } from './programs/ssmStage';
export * from './programs/catalog';
