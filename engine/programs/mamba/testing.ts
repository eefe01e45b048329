// What the family's scan tests share (imported by *.test.ts only): the small selective scan they vary, and
// the check of a fused form against the reference and the other forms.

import { expect } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { type SelectiveScanInputs, type SelectiveScanParams, selectiveScan } from '../../reference/mamba';
import { relCheck } from '../../util/compare';
import { makeScanInputs } from './common';
import { selectiveScanChunkedGpu } from './selectiveScanChunked';
import { selectiveScanRowGpu } from './selectiveScanRow';

/** A real scan of batch 2, D 5, N 7 with softplus(δ) and one group of B and C; `over` sets L, chunk and the rest. */
export const scanCase = (
  over: Partial<SelectiveScanParams> & Pick<SelectiveScanParams, 'L'>,
): SelectiveScanParams => ({
  batch: 2,
  D: 5,
  N: 7,
  complex: false,
  bGroups: 1,
  cGroups: 1,
  deltaSoftplus: true,
  ...over,
});

/**
 * Seeded inputs for a kernel test. Without softplus the kernels take δ as it is: they get the positive steps
 * softplus would have made.
 */
export function kernelScanInputs(
  p: SelectiveScanParams,
  seed: number,
  withOptional = true,
): SelectiveScanInputs {
  const made = makeScanInputs(p, seed, withOptional);
  if (p.deltaSoftplus) return made;
  return { ...made, delta: Float32Array.from(made.delta, (v) => Math.log1p(Math.exp(v))) };
}

/** What a fused scan's GPU form returns, as the tests compare it. */
interface ScanRun {
  out: Float32Array;
  lastState: Float32Array;
  dispatches: ReadonlyArray<{ label: string }>;
}

/** p's scan alone: the shape and the options every form reads, without any form's layout fields. */
export const plainScan = (p: SelectiveScanParams): SelectiveScanParams => ({
  batch: p.batch,
  D: p.D,
  L: p.L,
  N: p.N,
  complex: p.complex,
  bGroups: p.bGroups,
  cGroups: p.cGroups,
  deltaSoftplus: p.deltaSoftplus,
});

/**
 * One fused scan (run, which dispatches `labels`) against the float64 reference, the row kernel and the
 * chunked scan on the same seeded inputs (one form vs another), within 1e-4; and it frees what it made.
 */
export async function expectScanForms<P extends SelectiveScanParams>(
  gpu: Gpu,
  run: (gpu: Gpu, p: P, x: SelectiveScanInputs) => Promise<ScanRun>,
  labels: string[],
  p: P,
  seed: number,
  withOptional = true,
): Promise<void> {
  const before = gpu.liveBuffers.size;
  const x = kernelScanInputs(p, seed, withOptional);
  const want = selectiveScan(p, x);
  const got = await run(gpu, p, x);
  expect(got.dispatches.map((d) => d.label)).toEqual(labels);
  const row = await selectiveScanRowGpu(gpu, plainScan(p), x);
  const chunked = await selectiveScanChunkedGpu(gpu, plainScan(p), x);
  for (const [name, other] of [
    ['reference', want],
    ['row', row],
    ['chunked', chunked],
  ] as const) {
    expect(relCheck(got.out, other.out, 1e-4).ok, `out vs ${name}`).toBe(true);
    expect(relCheck(got.lastState, other.lastState, 1e-4).ok, `last state vs ${name}`).toBe(true);
  }
  expect(gpu.liveBuffers.size).toBe(before);
}
