// requestGpu(): the adapter and device the kernels need, as a value ({ok:true,gpu} | {ok:false,reason}).
// It never throws. It asks for the limits the kernels use and for optional features where offered,
// records what it got, and wires device.lost into a status the app can show and re-initialise from.

import { EngineError } from './errors';

export type GpuStatus = 'ok' | 'lost';

export interface GpuFeatures {
  timestampQuery: boolean;
  shaderF16: boolean;
  subgroups: boolean;
  /**
   * The adapter's one subgroup size where it has one (subgroupMinSize = subgroupMaxSize: 32 on NVIDIA,
   * 4 on SwiftShader), which kernels may then take as a constant; absent otherwise.
   */
  subgroupSize?: number;
  /**
   * The matrix shapes of `chromium-experimental-subgroup-matrix` where the device has it (M×N×K and the
   * component types, e.g. 16×16×16 f16 → f32 on NVIDIA); absent otherwise. Kernels that use them check
   * for their shape here.
   */
  subgroupMatrix?: SubgroupMatrixConfig[];
}

/** One matrix shape the adapter multiplies on its matrix units: (M×K) · (K×N) → (M×N). */
export interface SubgroupMatrixConfig {
  M: number;
  N: number;
  K: number;
  component: string;
  result: string;
}

export interface Gpu {
  device: GPUDevice;
  /** Human-readable adapter name, e.g. "NVIDIA H100" or "SwiftShader". */
  adapterName: string;
  features: GpuFeatures;
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxComputeWorkgroupSizeX: number;
    maxComputeWorkgroupsPerDimension: number;
    maxStorageBuffersPerShaderStage: number;
  };
  status: GpuStatus;
  lostReason: string | null;
  /** Buffers created through engine/gpu/tensor.ts and not yet destroyed. */
  liveBuffers: Set<GPUBuffer>;
  /** Called once when the device is lost (including destroy()). */
  onLost: (cb: (reason: string) => void) => void;
  /**
   * Set by the benchmark while it times: awaited by runDispatches after a timed run's uploads were queued
   * and before its timed submission, so a warm-up burst keeps the clock up right up to the timed pass (an
   * upload of a long sequence otherwise leaves the GPU idle, and its clock falls, just before it).
   */
  beforeTimedRun?: () => Promise<void>;
  /**
   * Set by the benchmark to time a run in a stream (runDispatches): its dispatches encoded `repeats` times
   * back to back in the one timed submission, timestamps only at the first pass's start and the last one's
   * end, the time reported per repeat. The inputs only read are copied to `sets` sets in all, repeat r
   * reading set r % sets, so that with sets · input bytes over the L2 cache no repeat finds the last one's
   * inputs there. What a step costs in a loop of steps, without a lone pass's fixed cost (BENCHMARKS.md).
   */
  timedStream?: { repeats: number; sets: number };
}

export type GpuResult = { ok: true; gpu: Gpu } | { ok: false; reason: string };

export interface RequestGpuOptions {
  /** The GPU entry point: navigator.gpu in a browser, create() from the `webgpu` package in Node. */
  gpu?: GPU | null;
  powerPreference?: GPUPowerPreference;
}

const LIMIT_KEYS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info?.description, info?.vendor, info?.architecture].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
}

function fixedSubgroupSize(adapter: GPUAdapter, device: GPUDevice): { subgroupSize?: number } {
  const { subgroupMinSize: min, subgroupMaxSize: max } = adapter.info ?? {};
  return device.features.has('subgroups') && min !== undefined && min === max ? { subgroupSize: min } : {};
}

const MATRIX_FEATURE = 'chromium-experimental-subgroup-matrix';

type RawMatrixConfig = {
  M: number;
  N: number;
  K: number;
  componentType: string;
  resultComponentType: string;
};

function matrixConfigs(adapter: GPUAdapter, device: GPUDevice): { subgroupMatrix?: SubgroupMatrixConfig[] } {
  const raw = (adapter.info as { subgroupMatrixConfigs?: RawMatrixConfig[] } | undefined)
    ?.subgroupMatrixConfigs;
  if (!device.features.has(MATRIX_FEATURE) || !raw || raw.length === 0) return {};
  const configs = [...raw].map((c) => ({
    M: c.M,
    N: c.N,
    K: c.K,
    component: c.componentType,
    result: c.resultComponentType,
  }));
  return { subgroupMatrix: configs };
}

export async function requestGpu(options: RequestGpuOptions = {}): Promise<GpuResult> {
  try {
    const entry = options.gpu ?? (typeof navigator !== 'undefined' ? navigator.gpu : undefined);
    if (!entry) return { ok: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
    const adapter = await entry.requestAdapter({ powerPreference: options.powerPreference });
    if (!adapter) return { ok: false, reason: 'no WebGPU adapter is available' };

    const want: GPUFeatureName[] = [];
    const has = (f: string) => adapter.features.has(f);
    if (has('timestamp-query')) want.push('timestamp-query');
    if (has('shader-f16')) want.push('shader-f16');
    if (has('subgroups')) want.push('subgroups' as GPUFeatureName);
    if (has(MATRIX_FEATURE)) want.push(MATRIX_FEATURE as GPUFeatureName);

    const requiredLimits: Record<string, number> = {};
    for (const k of LIMIT_KEYS) requiredLimits[k] = adapter.limits[k];

    const device = await adapter.requestDevice({ requiredFeatures: want, requiredLimits, label: 'seqscope' });
    const lostCbs: Array<(reason: string) => void> = [];
    const limits = {} as Gpu['limits'];
    for (const k of LIMIT_KEYS) limits[k] = device.limits[k];
    const gpu: Gpu = {
      device,
      adapterName: describeAdapter(adapter),
      features: {
        timestampQuery: device.features.has('timestamp-query'),
        shaderF16: device.features.has('shader-f16'),
        subgroups: device.features.has('subgroups'),
        ...fixedSubgroupSize(adapter, device),
        ...matrixConfigs(adapter, device),
      },
      limits,
      status: 'ok',
      lostReason: null,
      liveBuffers: new Set(),
      onLost: (cb) => {
        if (gpu.status === 'lost') cb(gpu.lostReason ?? 'lost');
        else lostCbs.push(cb);
      },
    };
    device.lost.then((info) => {
      gpu.status = 'lost';
      gpu.lostReason = `${info.reason}: ${info.message}`;
      gpu.liveBuffers.clear();
      for (const cb of lostCbs.splice(0)) cb(gpu.lostReason);
    });
    return { ok: true, gpu };
  } catch (err) {
    return {
      ok: false,
      reason: `WebGPU initialisation failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** Throws an EngineError-friendly message when the device is gone; call before encoding work. */
export function assertUsable(gpu: Gpu, label: string): void {
  if (gpu.status === 'lost')
    throw new EngineError(label, `the GPU device was lost (${gpu.lostReason}); re-initialise`);
}

/**
 * Gives the device back (the app calls this, never device.destroy()). Buffers still counted are dropped
 * from liveBuffers; the device-lost callbacks then run with reason 'destroyed'.
 */
export function releaseGpu(gpu: Gpu): void {
  gpu.liveBuffers.clear();
  gpu.device.destroy();
}
