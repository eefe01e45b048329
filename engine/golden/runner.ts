// The golden runner: every case on the CPU reference and on WebGPU, one result per (case, backend).
// A case whose function the engine does not implement counts as failed, never skipped.

import type { Gpu } from '../gpu/device';
import { maxAbs, maxAbsDiff } from '../util/compare';
import { asParts, type GoldenAdapter, type GoldenCase, type GoldenOutputs } from './format';

export interface GoldenResult {
  name: string;
  fn: string;
  backend: 'cpu' | 'webgpu';
  maxErr: number;
  tolerance: number;
  pass: boolean;
  note?: string;
}

export const DEFAULT_TOLERANCE = 1e-4;

export function compareOutputs(
  c: GoldenCase,
  got: GoldenOutputs,
  rel: number,
): { maxErr: number; tol: number; note?: string } {
  let worst = 0;
  let worstRatio = 0;
  let tolAtWorst = rel;
  for (const [name, want] of Object.entries(c.outputs)) {
    const raw = got[name];
    if (!raw) return { maxErr: Number.POSITIVE_INFINITY, tol: rel, note: `missing output ${name}` };
    const g = asParts(raw);
    const parts: Array<[ArrayLike<number> | undefined, Float64Array]> = [[g.data, want.data]];
    if (want.imag) parts.push([g.imag, want.imag]);
    let scale = maxAbs(want.data);
    if (want.imag) scale = Math.max(scale, maxAbs(want.imag));
    const bound = rel * Math.max(1, scale);
    for (const [gp, wp] of parts) {
      if (!gp)
        return { maxErr: Number.POSITIVE_INFINITY, tol: bound, note: `missing imaginary part of ${name}` };
      if (gp.length !== wp.length) {
        return {
          maxErr: Number.POSITIVE_INFINITY,
          tol: bound,
          note: `${name}: ${gp.length} values, want ${wp.length}`,
        };
      }
      const err = maxAbsDiff(gp, wp);
      if (err / bound >= worstRatio) {
        worstRatio = err / bound;
        worst = err;
        tolAtWorst = bound;
      }
    }
  }
  return { maxErr: worst, tol: tolAtWorst };
}

export async function runCase(
  c: GoldenCase,
  adapters: Record<string, GoldenAdapter>,
  gpu: Gpu | null,
  gpuReason = 'no WebGPU device',
): Promise<GoldenResult[]> {
  const adapter = adapters[c.fn];
  const base = { name: c.name, fn: c.fn };
  if (!adapter) {
    const note = `function ${c.fn} is not implemented by the engine`;
    return (['cpu', 'webgpu'] as const).map((backend) => ({
      ...base,
      backend,
      maxErr: Number.NaN,
      tolerance: DEFAULT_TOLERANCE,
      pass: false,
      note,
    }));
  }
  const rel = adapter.tolerance?.(c) ?? DEFAULT_TOLERANCE;
  const out: GoldenResult[] = [];
  for (const backend of ['cpu', 'webgpu'] as const) {
    try {
      let got: GoldenOutputs;
      if (backend === 'cpu') got = adapter.cpu(c);
      else if (!gpu) throw new Error(gpuReason);
      else got = await adapter.gpu(gpu, c);
      const { maxErr, tol, note } = compareOutputs(c, got, rel);
      out.push({ ...base, backend, maxErr, tolerance: tol, pass: maxErr <= tol, note });
    } catch (err) {
      out.push({
        ...base,
        backend,
        maxErr: Number.NaN,
        tolerance: rel,
        pass: false,
        note: err instanceof Error ? err.message.split('\n')[0] : String(err),
      });
    }
  }
  return out;
}

export function formatResult(r: GoldenResult): string {
  const err = Number.isNaN(r.maxErr) ? 'n/a' : r.maxErr.toExponential(2);
  const line = `${r.pass ? 'PASS' : 'FAIL'}  ${r.name.padEnd(58)} ${r.backend.padEnd(6)} maxerr=${err.padEnd(9)} tol=${r.tolerance.toExponential(1)}`;
  return r.note ? `${line}  (${r.note})` : line;
}
