// The engine's public surface: the only module app/ imports. Plain TypeScript, no React, no zustand.
// One namespace per stage composite (engine/stages/<stage>.ts); the programs of every family through the
// catalogue; the GPU handle, errors, records of what ran and trace timelines.

export { requestGpu, releaseGpu } from './gpu/device';
export type { Gpu, GpuResult, GpuStatus, GpuFeatures } from './gpu/device';
export { EngineError } from './gpu/errors';
export type { DispatchRecord, BoundBuffer } from './gpu/kernel';
export { kernelCode } from './gpu/kernel';
export { loadBundledShaders } from './browser';
export { runOn, makeStepper } from './programs/program';
export type { Program, RunOptions, RunResult, Host, Stepper } from './programs/program';
export type { TraceEvent, TraceCapture, TraceKindName } from './trace/events';
export { timeline, stateAt, totalBytes } from './trace/timeline';
export type { Timeline, Frame, Move, Traffic, Tile, TimelineState } from './trace/timeline';
export { maxAbsDiff, maxAbs, relCheck } from './util/compare';
export { Rng } from './util/rng';
export { tokenize, embedTokens, MAX_TOKENS, MAX_TEXT } from './util/tokens';
export * as ssmStage from './stages/ssm';
export * as introStage from './stages/intro';
export * as mambaStage from './stages/mamba';
export * as ssdStage from './stages/ssd';
export * as rnnStage from './stages/rnn';
export * as attentionStage from './stages/attention';
export * as raceStage from './stages/race';
export * from './programs/catalog';
