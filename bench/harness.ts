// Benchmark harness: an entry times one program's `run` (timestamp queries, median of repeats after a
// warm-up run), a comparison puts entries side by side, and the ratios come from the same run on the same
// device. The subject files (attention.ts, scans.ts, forms.ts) build comparisons from `entry`; run.ts is
// the CLI. Nothing here imports a subject file, so bench/ has no import cycle (noImportCycle.test.ts).

import type { Gpu } from '../engine/gpu/device';
import type { Host, Program } from '../engine/programs/program';

/** `small`: CI-sized, fits SwiftShader; `real`: model sizes, for a real GPU. */
export type SizeSet = 'small' | 'real';

export interface BenchEntry {
  label: string;
  /** Runs once and returns the GPU time in ms (timestamp queries), or null where unavailable. */
  run: (gpu: Gpu) => Promise<number | null>;
  /** Bytes the algorithm must move at minimum, for an effective bandwidth figure. */
  bytes?: number;
  /** Floating-point operations, for a throughput figure. */
  flops?: number;
}

export interface Comparison {
  title: string;
  /** Sizes in words, e.g. "B=1 H=32 L=4096 d=64". */
  size: string;
  /** The first entry is the baseline the others are compared with. */
  entries: BenchEntry[];
}

export interface Measured {
  label: string;
  ms: number | null;
  gbps: number | null;
  tflops: number | null;
  error?: string;
}

/** An entry timing `program.run` at fixed params and inputs made once. */
export function entry<P, I, O extends Record<string, Host>>(
  label: string,
  program: Program<P, I, O>,
  params: P,
  inputs: () => I,
  extra: { bytes?: number; flops?: number } = {},
): BenchEntry {
  let x: I | null = null;
  return {
    label,
    ...extra,
    run: async (gpu: Gpu) => {
      x ??= inputs();
      return (await program.run(gpu, params, x, { time: true })).gpuMs;
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median of `reps` timed runs after one untimed run; `warm` (an awaited burst of work, bench/copy.ts)
 * runs before each, so the GPU's clock is up when the timed dispatches start.
 */
export async function measure(
  gpu: Gpu,
  e: BenchEntry,
  reps: number,
  warm: (gpu: Gpu) => Promise<void> = async () => {},
): Promise<Measured> {
  try {
    await e.run(gpu);
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      await warm(gpu);
      const t = await e.run(gpu);
      if (t !== null) times.push(t);
    }
    const ms = times.length > 0 ? median(times) : null;
    return {
      label: e.label,
      ms,
      gbps: ms && e.bytes ? e.bytes / (ms * 1e6) : null,
      tflops: ms && e.flops ? e.flops / (ms * 1e9) : null,
    };
  } catch (err) {
    return {
      label: e.label,
      ms: null,
      gbps: null,
      tflops: null,
      error: err instanceof Error ? err.message.split('\n')[0] : String(err),
    };
  }
}

export function formatComparison(c: Comparison, rows: Measured[]): string {
  const base = rows[0]?.ms ?? null;
  const lines = [`## ${c.title}  (${c.size})`];
  for (const r of rows) {
    if (r.error) {
      lines.push(`  ${r.label.padEnd(40)} error: ${r.error}`);
      continue;
    }
    const ms = r.ms === null ? 'n/a' : `${r.ms.toFixed(3)} ms`;
    const ratio = base && r.ms ? `${(base / r.ms).toFixed(2)}x vs ${rows[0].label}` : '';
    const bw = r.gbps === null ? '' : `${r.gbps.toFixed(1)} GB/s`;
    const fl = r.tflops === null ? '' : `${r.tflops.toFixed(2)} TFLOP/s`;
    lines.push(
      `  ${r.label.padEnd(40)} ${ms.padStart(12)}  ${bw.padStart(11)}  ${fl.padStart(13)}  ${ratio}`,
    );
  }
  return lines.join('\n');
}
