// Runs the small stress cases (odd sizes, ragged chunks, softplus > 20, masked rows, complex A, absent
// optionals) through the golden adapters on the CPU and, for a few, on WebGPU; and the malformed cases
// through the golden CLI in a child process, which must report each as failed with a clear note in time.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { adapters } from '../adapters';
import { parseCase } from '../format';
import type { StressCase } from './index';
import { stressCases, vectors2StressCases } from './index';
import { runCase } from '../runner';

const size = (c: StressCase) =>
  [...Object.values(c.inputs), ...Object.values(c.outputs)].reduce(
    (n, a) => n + a.shape.reduce((x, y) => x * y, 1),
    0,
  );
// The vectors2 functions (issue 7) whose adapters exist join in:
// lstm, hippo_legs_online, mamba_block, mamba2_block, rms_norm_gated, attention_backward(_tiled), rwkv6_recurrent.
const all = [
  ...stressCases(),
  ...vectors2StressCases(
    /^(lstm|hippo_legs_online|mamba_block|mamba2_block|rms_norm_gated|attention_backward(_tiled)?|rwkv6_recurrent)$/,
  ),
];
const small = all.filter((c) => size(c) <= 20000);
const onGpu =
  /sk57_h2_2_d8_causal|ssd_minimal_init_b1_T300|mamba2_ssd_combined_b2_T37|selective_scan_complexA_fixedBC|simple_gla_chunked_B2_T77|causal_conv1d_final_states_no_init|expm_n9|softplus_1001|lstm_saturating_biases|hippo_legs_online_N12_L64_backward|mamba_block_softplus_threshold|mamba2_block_dmlp8|rms_norm_gated_x3x7x24|attention_backward_tiled_b1_sq70_sk3|rwkv6_recurrent_mixed_decay_init|rwkv6_recurrent_strong_decay_init/;

describe('stress cases in the golden format', () => {
  it('covers every function of the golden index', () => {
    const index = JSON.parse(readFileSync('../shared/golden/vectors/index.json', 'utf8')) as {
      cases: Array<{ ref_function: string }>;
    };
    const have = new Set(all.map((c) => c.ref_function));
    expect(index.cases.map((c) => c.ref_function).filter((fn) => !have.has(fn))).toEqual([]);
    expect(small.length).toBeGreaterThan(40);
  });

  it('every small stress case passes on the CPU reference (odd sizes, ragged chunks, masked rows)', async () => {
    const failed: string[] = [];
    for (const c of small) {
      const json = JSON.parse(JSON.stringify(c));
      const [cpu] = await runCase(parseCase(c.name, json), adapters, null);
      if (!cpu.pass) failed.push(`${c.name}: err ${cpu.maxErr} tol ${cpu.tolerance} ${cpu.note ?? ''}`);
    }
    expect(failed).toEqual([]);
  });

  it('masked rows, ragged SSD chunks, softplus > 20 and complex fixed B/C pass on WebGPU too', async () => {
    const gpu = await testGpu();
    const picked = all.filter((c) => onGpu.test(c.name));
    expect(picked.length).toBeGreaterThanOrEqual(6);
    const failed: string[] = [];
    for (const c of picked) {
      const [, webgpu] = await runCase(parseCase(c.name, JSON.parse(JSON.stringify(c))), adapters, gpu);
      if (!webgpu.pass)
        failed.push(`${c.name}: err ${webgpu.maxErr} tol ${webgpu.tolerance} ${webgpu.note ?? ''}`);
    }
    expect(failed).toEqual([]);
  }, 120_000);

  it('the golden CLI reports every malformed case as failed with a clear note, without hanging', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-cases-'));
    try {
      const make = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'engine/golden/stress/write.ts', dir, '--bad'],
        {
          encoding: 'utf8',
        },
      );
      expect(make.status).toBe(0);
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'engine/golden/cli.ts', dir], {
        encoding: 'utf8',
        timeout: 90_000,
        killSignal: 'SIGKILL',
      });
      expect(run.signal, 'the golden CLI hung on a malformed case').toBeNull();
      const lines = run.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
      const cases = Number(/(\d+) cases/.exec(make.stdout)?.[1]);
      expect(lines.length).toBe(2 * cases);
      const unclear = lines.filter(
        (l) =>
          !/^FAIL .*\(.+\)$/.test(l) || /Cannot read propert|Invalid typed array|is not a function/.test(l),
      );
      expect(unclear).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
