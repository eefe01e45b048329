// The causal conv1d's trace: byte counts per tensor against the tile formulas, each workgroup's event
// order, the last tile that holds only final states, and tracing changing no result bit.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import type { CausalConv1dParams } from '../../reference/causalConv1d';
import { bytesBy } from '../../trace/events';
import { CONV1D_WG, causalConv1dGpu, makeConvInputs } from './causalConv1d';

/** The traced run, after checking it equals the untraced one bit for bit and dropped no record. */
async function tracedRun(p: CausalConv1dParams, x: ReturnType<typeof makeConvInputs>) {
  const gpu = await testGpu();
  const off = await causalConv1dGpu(gpu, p, x);
  const on = await causalConv1dGpu(gpu, p, x, { trace: true });
  for (const k of ['out', 'finalStates'] as const)
    expect(Buffer.from(on[k].buffer).equals(Buffer.from(off[k].buffer)), k).toBe(true);
  const t = on.trace;
  if (!t) throw new Error('no trace');
  expect(t.dropped).toBe(0);
  return t;
}

describe('causal conv1d traces', () => {
  it('byte counts equal the tile formulas (B=2, D=5, L=203, W=4, initial states) and outputs are bit-identical with tracing off', async () => {
    const p: CausalConv1dParams = { batch: 2, D: 5, L: 203, W: 4, silu: true };
    const t = await tracedRun(p, makeConvInputs(p, 9));
    const { batch, D, L, W } = p;
    const S = W - 1;
    const rows = batch * D;
    // L = 203: no tile starts at or beyond L, so each tile but the first re-reads an S-wide halo.
    expect(Math.ceil((L + S) / CONV1D_WG)).toBe(Math.ceil(L / CONV1D_WG));
    const tiles = Math.ceil(L / CONV1D_WG);
    expect(bytesBy(t)).toEqual({
      'load:x': 4 * rows * (L + S * (tiles - 1)),
      'load:initialStates': 4 * rows * S,
      'read:weight': 4 * rows * L * W,
      'read:bias': 4 * rows * L,
      'write:out': 4 * rows * L,
      'store:finalStates': 4 * rows * S,
    });
    // Every workgroup numbers its events 0..5 in the documented order.
    const kinds = t.events.filter((e) => e.workgroup === 0).map((e) => `${e.seq}:${e.kind}:${e.tensor}`);
    expect(kinds).toEqual([
      '0:load:x',
      '1:load:initialStates',
      '2:read:weight',
      '3:read:bias',
      '4:write:out',
      '5:store:finalStates',
    ]);
    expect(new Set(t.events.map((e) => e.workgroup)).size).toBe(rows * tiles);
  });

  it('counts the last tile that only holds final states (L=63, W=4, no initial states loaded)', async () => {
    const p: CausalConv1dParams = { batch: 1, D: 3, L: 63, W: 4, silu: false };
    const t = await tracedRun(p, makeConvInputs(p, 10, false));
    // Tiles [0, 64) and [64, 128): final-state positions L..L+S-1 = 63..65 span both; tile 1 has no
    // output and loads only its halo x[L-(WG-S) .. L-1] = x[61..62].
    const { D, L, W } = p;
    const S = W - 1;
    expect(bytesBy(t)).toEqual({
      'load:x': 4 * D * (L + (L - (CONV1D_WG - S))),
      'read:weight': 4 * D * L * W,
      'read:bias': 4 * D * L,
      'write:out': 4 * D * L,
      'store:finalStates': 4 * D * S,
    });
  });
});
