// The GPU panel's model on the records of a real ssm stage run (Dawn in Node, SwiftShader where there is
// no GPU) and on hand-built edge cases: rows in run order with repeats folded, bytes bound by access,
// totals, workgroup sizes read from the WGSL that ran, and the HBM ↔ SRAM traffic at a step.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DispatchRecord,
  type Gpu,
  kernelCode,
  loadBundledShaders,
  requestGpu,
  runOn,
  ssmStage,
  type Timeline,
  timeline,
  totalBytes,
} from '../../engine';
import { boundBytes, dispatchRows, dispatchTotals, trafficAt, trafficLayout } from './gpuPanel';
import { kernelVariants, workgroupSize } from './kernelSource';
import { testRecord } from './testRecord';

// The app may reach the engine only through engine/index.ts, so this is engine/node/gpu.ts's device in
// short: Dawn's adapter, else SwiftShader's driver; every Dawn instance kept alive (dawn.node needs that).
type Dawn = { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
const instances: GPU[] = [];
async function dawnGpu(): Promise<Gpu> {
  const dawn = (await import('webgpu')) as unknown as Dawn;
  Object.assign(globalThis, dawn.globals);
  const open = () => {
    const entry = dawn.create(['disable-dawn-features=timestamp_quantization']);
    instances.push(entry);
    return requestGpu({ gpu: entry });
  };
  let got = await open();
  if (!got.ok) {
    process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
    got = await open();
  }
  if (!got.ok) throw new Error(`WebGPU unavailable in Node: ${got.reason}`);
  return got.gpu;
}

const P: ssmStage.SsmStageParams = { N: 4, L: 16, dt: 0.1, disc: 'zoh', signal: 'step' };
let dispatches: DispatchRecord[] = [];
let trace: Timeline;

beforeAll(async () => {
  loadBundledShaders();
  const gpu = await dawnGpu();
  const run = await runOn(ssmStage.program, gpu, P, ssmStage.program.makeInputs(P, 7), { trace: true });
  dispatches = run.dispatches;
  if (!run.trace) throw new Error('the traced run returned no capture');
  trace = timeline(run.trace);
});

const hand = (patch: Partial<DispatchRecord>) => testRecord({ label: 'hand.kernel', ...patch });

describe('dispatch rows of a real ssm run', () => {
  it('list every dispatch in run order, folding only consecutive repeats of one dispatch', () => {
    const rows = dispatchRows(dispatches);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(dispatches.length);
    rows.forEach((r, i) => {
      const next = rows[i + 1];
      if (next) expect(next.first).toBe(r.first + r.count);
      for (let j = r.first; j < r.first + r.count; j++) {
        expect(dispatches[j].label).toBe(r.label);
        expect(dispatches[j].workgroups).toEqual(r.workgroups);
      }
    });
    expect(rows.map((r) => r.label)).toEqual(
      dispatches.map((d) => d.label).filter((l, i, all) => i === 0 || all[i - 1] !== l),
    );
    expect(rows.find((r) => r.label === 'fftConv.pass')?.count).toBeGreaterThan(1);
    expect(rows.slice(0, 2).map((r) => r.entryPoint)).toEqual(['zoh', 'bilinear']);
  });

  it('count the bytes bound by access, from the scan dispatch buffer sizes of N=4, L=16', () => {
    const scan = dispatchRows(dispatches).at(-1);
    const { N, L } = P;
    expect(scan?.label).toBe('ssmScan.recurrence');
    expect(Object.fromEntries(scan?.constants ?? [])).toMatchObject({ TRACE: 1 });
    const traceBytes = scan?.buffers.find((b) => b.name === 'trace')?.bytes ?? 0;
    expect(traceBytes).toBeGreaterThan(0);
    // Abar (N,N), Bbar (N,), C (N,), u (L,) read; x (N,), y (L,), states (L,N) and the trace written.
    expect(scan?.bound.read).toBe(4 * (N * N + N + N + L));
    expect(scan?.bound.readWrite).toBe(4 * (N + L + L * N) + traceBytes);
    expect(scan?.bound.uniform).toBe(scan?.buffers.find((b) => b.access === 'uniform')?.bytes);
  });

  it('read each kernel workgroup size from the WGSL that ran, so invocations are known', async () => {
    const sizes = new Map();
    for (const v of kernelVariants(dispatches)) {
      const code = await kernelCode(v.record);
      sizes.set(v.key, workgroupSize(code, v.record.entryPoint, v.record.constants));
    }
    const rows = dispatchRows(dispatches, sizes);
    for (const r of rows) {
      expect(r.workgroupSize?.[0]).toBe(dispatches[r.first].constants.WG);
      expect(r.invocations).toBe(r.workgroupCount * (r.workgroupSize?.[0] ?? Number.NaN));
    }
    const t = dispatchTotals(dispatches, rows);
    expect(t.invocations).toBe(
      dispatches.reduce(
        (s, d) => s + d.workgroups[0] * d.workgroups[1] * d.workgroups[2] * d.constants.WG,
        0,
      ),
    );
  });

  it('total the run: every dispatch, summed bound bytes, and each distinct buffer once', () => {
    const rows = dispatchRows(dispatches);
    const t = dispatchTotals(dispatches, rows);
    const all = boundBytes(dispatches.flatMap((d) => d.bindings));
    expect(t.dispatches).toBe(dispatches.length);
    expect(t.bound).toEqual(all);
    expect(t.invocations).toBeNull();
    const labels = new Set(dispatches.flatMap((d) => d.bindings.map((b) => b.label)));
    expect(t.buffers).toBe(labels.size);
    expect(t.bufferBytes).toBeLessThan(all.uniform + all.read + all.readWrite);
  });
});

describe('dispatch rows, by hand', () => {
  it('are empty with zero totals when nothing ran, and keep a 3-D grid and unknown size apart', () => {
    expect(dispatchRows([])).toEqual([]);
    expect(dispatchTotals([], [])).toEqual({
      dispatches: 0,
      workgroups: 0,
      invocations: 0,
      bound: { uniform: 0, read: 0, readWrite: 0 },
      buffers: 0,
      bufferBytes: 0,
    });
    const d = hand({ workgroups: [3, 2, 5] });
    const [row] = dispatchRows([d]);
    expect(row.workgroupCount).toBe(30);
    expect(row.invocations).toBeNull();
  });

  it('fold a ping-pong between equal-sized buffers, but not a change of grid or buffer size', () => {
    const buf = (label: string, bytes: number) => ({
      binding: 0,
      name: 'src',
      label,
      bytes,
      access: 'read' as const,
    });
    const a = hand({ bindings: [buf('A', 64)] });
    const rows = dispatchRows([
      a,
      hand({ bindings: [buf('B', 64)] }),
      hand({ bindings: [buf('B', 128)] }),
      a,
    ]);
    expect(rows.map((r) => [r.first, r.count])).toEqual([
      [0, 2],
      [2, 1],
      [3, 1],
    ]);
    expect(dispatchRows([a, { ...a, workgroups: [2, 1, 1] }]).length).toBe(2);
  });
});

describe('traffic of the real scan trace', () => {
  it('is nothing at step 0 and the whole capture at the end', () => {
    const start = trafficAt(trace, 0);
    expect(start.last).toBeNull();
    expect(start.sofar).toEqual({ load: 0, store: 0, read: 0, write: 0 });
    const end = trafficAt(trace);
    expect(end.step).toBe(trace.frames.length);
    expect(end.complete).toBe(true);
    const sum = end.total.load + end.total.store + end.total.read + end.total.write;
    expect(sum).toBe(totalBytes(trace.totals));
    expect(end.sofar).toEqual(end.total);
    expect(trafficAt(trace, 10 * trace.frames.length).step).toBe(trace.frames.length);
  });

  it('holds on chip, at each step, the tiles the frames so far loaded, with bytes that only grow', () => {
    let before = -1;
    for (let k = 0; k <= trace.frames.length; k++) {
      const m = trafficAt(trace, k);
      const moved = m.sofar.load + m.sofar.store + m.sofar.read + m.sofar.write;
      expect(moved).toBeGreaterThanOrEqual(before);
      before = moved;
      const loaded = trace.frames.slice(0, k).filter((f) => f.move === 'hbm→sram');
      const held = m.workgroups.flatMap((w) => w.tiles.map((t) => `${w.workgroup}:${t.tensor}`));
      expect(new Set(held)).toEqual(new Set(loaded.map((f) => `${f.workgroup}:${f.tensor}`)));
      if (k > 0) expect(m.last?.kind).toBe(trace.frames[k - 1].kind);
    }
    expect(trace.frames.some((f) => f.move === 'hbm→sram')).toBe(true);
  });

  it('lays out arrows filled by the share moved so far and a box for the workgroup', () => {
    const mid = trafficLayout(trafficAt(trace, 1));
    const whole = trafficAt(trace);
    const end = trafficLayout(whole);
    for (const l of end.lanes) expect(l.done).toBe(whole.total[l.kind] > 0 ? 1 : 0);
    expect(mid.lanes.find((l) => l.kind === 'load')?.done).toBeGreaterThan(0);
    expect(end.boxes.map((b) => b.workgroup)).toEqual([trace.frames.at(-1)?.workgroup]);
    for (const b of end.boxes) for (const c of b.chips) expect(c.x + c.w).toBeLessThanOrEqual(b.w);
  });
});

describe('traffic layout, by hand', () => {
  it('draws at most maxBoxes workgroups, the last frame one first, and counts the rest', () => {
    const frames = [5, 1, 4, 2, 3, 0].map((workgroup, step) => ({
      step,
      workgroup,
      seq: 0,
      kind: 'load' as const,
      move: 'hbm→sram' as const,
      tensor: 'K',
      offset: 64 * workgroup,
      count: 64,
      bytes: 256,
      aux: 0,
      phase: null,
    }));
    const t: Timeline = {
      frames,
      workgroups: [0, 1, 2, 3, 4, 5],
      totals: { K: { load: 6 * 256, store: 0, read: 0, write: 0 } },
      complete: false,
    };
    const m = trafficAt(t);
    expect(m.complete).toBe(false);
    const lay = trafficLayout(m, 4);
    expect(lay.boxes.map((b) => b.workgroup)).toEqual([0, 1, 2, 3]);
    expect(lay.hidden).toBe(2);
    expect(lay.lanes.find((l) => l.kind === 'store')?.done).toBe(0);
    expect(trafficLayout(trafficAt(t, 3), 4).boxes[0].workgroup).toBe(4);
  });
});
