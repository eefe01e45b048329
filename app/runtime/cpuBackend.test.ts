// The CPU backend through a worker-like port: results and steps arrive as from the GPU, structured-cloned,
// steppers are freed in the worker, and a crashed worker rejects what was pending.

import { describe, expect, it } from 'vitest';
import { makeStepper } from '../../engine';
import type { StageRuntime } from '../stages/types';
import { cpuClient, type Port } from './cpuBackend';
import { cpuHost } from './cpuHost';
import type { CpuReply } from './cpuProtocol';

const runtime: StageRuntime = {
  run: async (_gpu, params) => ({
    backend: 'cpu',
    ran: { backend: 'cpu', dispatches: [], gpuMs: null, timeline: null },
    y: new Float64Array([Number(params.L), 2]),
  }),
  createStepper: async (_gpu, params) =>
    makeStepper('test.step', { backend: 'cpu', count: Number(params.L), advance: (k) => ({ k }) }),
  steps: (p) => Number(p.L),
};

/** A port that answers through the worker's host asynchronously, cloning both ways like postMessage. */
function inProcess(host = cpuHost({ test: runtime })) {
  let reply: (r: CpuReply) => void = () => undefined;
  let crash: (m: string) => void = () => undefined;
  const port: Port = {
    post: (req) => {
      void host.answer(structuredClone(req)).then((r) => setTimeout(() => reply(structuredClone(r)), 0));
    },
    onReply: (fn) => {
      reply = fn;
    },
    onCrash: (fn) => {
      crash = fn;
    },
    close: () => undefined,
  };
  return { port, host, crash: (m: string) => crash(m) };
}

describe('CPU backend in a worker', () => {
  it('runs the stage and returns typed arrays by structured clone', async () => {
    const w = inProcess();
    const r = (await cpuClient(() => w.port)
      .runtime('test')
      .run(null, { L: 3 })) as unknown as {
      y: Float64Array;
    };
    expect(r.y).toBeInstanceOf(Float64Array);
    expect(Array.from(r.y)).toEqual([3, 2]);
  });

  it('steps a stepper that lives in the worker and frees it there on dispose', async () => {
    const w = inProcess();
    const rt = cpuClient(() => w.port).runtime('test');
    const s = await rt.createStepper(null, { L: 2 }, null);
    expect(s.count).toBe(2);
    expect(await s.step()).toEqual({ k: 0 });
    expect(await s.step()).toEqual({ k: 1 });
    await expect(s.step()).rejects.toThrow(/all 2 steps/);
    expect(w.host.live()).toBe(1);
    s.dispose();
    await new Promise((r) => setTimeout(r, 5));
    expect(w.host.live()).toBe(0);
  });

  it('an unknown stage is an error in words', async () => {
    const w = inProcess();
    await expect(
      cpuClient(() => w.port)
        .runtime('nope')
        .run(null, {}),
    ).rejects.toThrow(/no runtime for stage/);
  });

  it('a crashed worker rejects what was pending, and the next request starts a new one', async () => {
    let opened = 0;
    const ports: ReturnType<typeof inProcess>[] = [];
    const client = cpuClient(() => {
      opened++;
      const w = inProcess();
      ports.push(w);
      return { ...w.port, post: opened === 1 ? () => undefined : w.port.post };
    });
    const lost = client.runtime('test').run(null, { L: 1 });
    ports[0].crash('out of memory');
    await expect(lost).rejects.toThrow('out of memory');
    expect(client.pending()).toBe(0);
    await expect(client.runtime('test').run(null, { L: 1 })).resolves.toBeTruthy();
    expect(opened).toBe(2);
  });
});
