// The engine's public surface: the only module app/ imports. Plain TypeScript, no React, no zustand.

export { requestGpu } from './gpu/device';
export type { Gpu, GpuResult, GpuStatus, GpuFeatures } from './gpu/device';
export { EngineError } from './gpu/errors';
export { loadBundledShaders } from './browser';
export { runOn } from './programs/program';
export type { Program, RunOptions, RunResult, Host } from './programs/program';
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
} from './stages/ssmTypes';
export { ssmStageProgram, createSsmStepper } from './stages/ssm';
export { validateSsmStageParams, SSM_STAGE_LIMITS, ssmSignal } from './stages/ssm';
export * from './programs/catalog';
