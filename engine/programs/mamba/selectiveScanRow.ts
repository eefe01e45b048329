// selectiveScanRow: the fused selective scan with one workgroup per channel row walking L chunk by chunk
// (shaders/mamba/selectiveScanRow.wgsl), the fast path for real A. Subgroup shuffles where the device has
// them, workgroup memory otherwise. Where its conditions do not hold (complex A, L or the C offset not a
// multiple of 4) it runs the chunked form (selectiveScanChunked) and says so in its records. The CPU side is
// reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { bcLength, type SelectiveScanInputs, type SelectiveScanParams } from '../../reference/mamba';
import type { RunOptions } from '../program';
import {
  SCAN_SOURCES,
  type ScanBuffers,
  type ScanOutputBuffers,
  scanParams,
  scanProgram,
  scanRows,
  runScan,
} from './common';
import { selectiveScanChunkedGpu } from './selectiveScanChunked';

const LABEL = 'selectiveScanRow';
/** Invocations per workgroup and steps per invocation when params say nothing (H200: bench/results). */
export const ROW_DEFAULTS = { wg: 128, items: 8 };

export interface RowLayout {
  /** Invocations per workgroup. */
  wg: number;
  /** Consecutive steps per invocation per chunk (4, 8 or 16). */
  items: number;
  /** Steps per chunk: wg · items. */
  chunk: number;
  /** Groups of four states: ⌈N / 4⌉. */
  groups: number;
  subgroups: boolean;
}

/** Why the row kernel cannot run params p (null: it can). */
export function rowUnfit(p: SelectiveScanParams): string | null {
  if (p.complex) return 'complex A';
  if (p.L % 4 !== 0) return `L=${p.L} is not a multiple of 4`;
  if (p.cGroups > 0 && bcLength(p, p.bGroups) % 4 !== 0) return 'C does not start on a vec4';
  return null;
}

/**
 * The layout for params p on this device: p.items (4, 8, 16) steps per invocation and p.chunk / p.items
 * invocations (a power of two from 32 to the device's limit), else ROW_DEFAULTS.
 */
export function rowLayout(gpu: Gpu, p: SelectiveScanParams, subgroups = gpu.features.subgroups): RowLayout {
  const items = p.items ?? ROW_DEFAULTS.items;
  if (![4, 8, 16].includes(items)) throw new EngineError(LABEL, `items must be 4, 8 or 16, got ${items}`);
  const wg = p.chunk === undefined ? ROW_DEFAULTS.wg : p.chunk / items;
  const max = Math.min(gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
  if (!Number.isInteger(wg) || wg < 32 || wg > max || (wg & (wg - 1)) !== 0)
    throw new EngineError(
      LABEL,
      `chunk / items must be a power of two from 32 to ${max} invocations, got ${p.chunk} / ${items}`,
    );
  return { wg, items, chunk: wg * items, groups: Math.ceil(p.N / 4), subgroups };
}

export function selectiveScanRowKernel(gpu: Gpu, l: RowLayout): Promise<Kernel> {
  const scan = l.subgroups ? 'common/affineScanSubgroup.wgsl' : 'common/affineScanShared.wgsl';
  return kernel(gpu, {
    label: `${LABEL}.${l.subgroups ? 'subgroup' : 'shared'}`,
    enable: l.subgroups ? ['subgroups'] : [],
    sources: [...SCAN_SOURCES, 'mamba/selectiveScanRow.wgsl', scan],
    constants: { WG: l.wg, V: l.items / 4, NG: l.groups },
  });
}

/** The scan's one dispatch on buffers it is given (rowUnfit(p) must be null). */
export async function selectiveScanRowDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SelectiveScanParams,
  b: ScanBuffers & ScanOutputBuffers,
  l: RowLayout = rowLayout(gpu, p),
): Promise<Dispatch> {
  const why = rowUnfit(p);
  if (why) throw new EngineError(LABEL, `the row kernel cannot run this scan: ${why}`);
  const k = await selectiveScanRowKernel(gpu, l);
  const params = uniformFor(scope, k, scanParams(p, b.z)).buffer;
  const { seq, bc, chan, out, lastState } = b;
  return {
    kernel: k,
    bindings: { p: params, seq, bc, chan, seq4: seq, bc4: bc, out4: out, lastState },
    workgroups: gridFor(gpu, LABEL, scanRows(p)).workgroups,
  };
}

/** Runs the row kernel (`subgroups: false` forces the workgroup-memory scan), or the chunked form. */
export async function selectiveScanRowGpu(
  gpu: Gpu,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  opts: RunOptions & { subgroups?: boolean } = {},
) {
  if (rowUnfit(p)) return selectiveScanChunkedGpu(gpu, p, x, opts);
  const l = rowLayout(gpu, p, opts.subgroups ?? gpu.features.subgroups);
  return runScan(gpu, LABEL, p, x, opts.time, (scope, b) => selectiveScanRowDispatch(gpu, scope, p, b, l));
}

export const selectiveScanRowProgram = scanProgram(
  LABEL,
  'Selective scan, fused, one workgroup per channel (subgroup scans, carries in workgroup memory)',
  selectiveScanRowGpu,
);
