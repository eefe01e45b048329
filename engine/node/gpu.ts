// WebGPU in Node through the `webgpu` package (Dawn). Registers the on-disk shader loader, asks for an
// adapter, and when none is found retries with the SwiftShader driver that ships with Chromium
// (SEQSCOPE_SWIFTSHADER_ICD overrides its path). Reports which adapter it ended up with.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestGpu, type GpuResult } from '../gpu/device';
import { setShaderLoader } from '../shaders';

// SEQSCOPE_SHADER_ROOT points a bundled script (the GPU benchmark) at a copy of shaders/.
export const SHADER_ROOT =
  process.env.SEQSCOPE_SHADER_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shaders');
const DEFAULT_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export function loadShadersFromDisk(root = SHADER_ROOT): void {
  setShaderLoader((path) => readFileSync(join(root, path), 'utf8'));
}

type DawnModule = { create: (flags: string[]) => GPU; globals: Record<string, unknown> };

async function loadDawn(): Promise<DawnModule | null> {
  try {
    const mod = (await import('webgpu')) as unknown as DawnModule;
    Object.assign(globalThis, mod.globals);
    return mod;
  } catch {
    return null;
  }
}

// Exact timestamps (Dawn quantizes them to ~65 µs by default). The matrix units
// (chromium-experimental-subgroup-matrix) are offered only with allow_unsafe_apis, and f16 on NVIDIA's
// Vulkan driver only with vulkan_enable_f16_on_nvidia (a browser decides both for itself); both change
// nothing on an adapter without them (SwiftShader). SEQSCOPE_DAWN_ENABLE adds toggles for a profile (a
// probe's `disable_robustness`: what Dawn's bounds clamps cost; a browser never turns them off).
const DAWN_FLAGS = [
  'disable-dawn-features=timestamp_quantization',
  `enable-dawn-features=${['allow_unsafe_apis', 'vulkan_enable_f16_on_nvidia', ...(process.env.SEQSCOPE_DAWN_ENABLE?.split(',') ?? [])].join(',')}`,
];

// Dawn instances are kept alive for the life of the process: letting a failed first instance be
// garbage-collected while a second one runs crashes dawn.node (a futex error in its worker threads).
const instances: GPU[] = [];
function instance(dawn: DawnModule): GPU {
  const gpu = dawn.create(DAWN_FLAGS);
  instances.push(gpu);
  return gpu;
}

export interface NodeGpuResult {
  result: GpuResult;
  /** How the adapter was found: 'system' or 'swiftshader'. */
  via: 'system' | 'swiftshader' | 'none';
}

export async function requestNodeGpu(): Promise<NodeGpuResult> {
  loadShadersFromDisk();
  const dawn = await loadDawn();
  if (!dawn)
    return { result: { ok: false, reason: 'the `webgpu` package could not be loaded' }, via: 'none' };
  const forced = process.env.SEQSCOPE_SWIFTSHADER_ICD;
  if (!forced) {
    const first = await requestGpu({ gpu: instance(dawn) });
    if (first.ok) return { result: first, via: 'system' };
  }
  const icd = forced ?? DEFAULT_ICD;
  if (!existsSync(icd)) {
    return {
      result: { ok: false, reason: `no GPU adapter, and no SwiftShader driver at ${icd} (install chromium)` },
      via: 'none',
    };
  }
  process.env.VK_ICD_FILENAMES = icd;
  const second = await requestGpu({ gpu: instance(dawn) });
  return { result: second, via: second.ok ? 'swiftshader' : 'none' };
}
