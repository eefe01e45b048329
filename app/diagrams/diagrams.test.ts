// Tests of the pure diagram layouts: grid cells and colours, bars around zero, the sliding convolution
// window (checked against the causal convolution), and the data-flow block diagram.

import { describe, expect, it } from 'vitest';
import { convWindow } from './convWindow';
import { layoutDataFlow } from './dataFlow';
import { cellLabel, layoutMatrixGrid } from './matrixGrid';
import { layoutSequence, valueDomain } from './sequence';

describe('matrix grid layout', () => {
  it('places N×N cells row-major with gaps and a symmetric colour domain', () => {
    const g = layoutMatrixGrid([1, -2, 0.5, 0], 2, 2, { cell: 10, gap: 2 });
    expect(g.width).toBe(22);
    expect(g.height).toBe(22);
    expect(g.extent).toBe(2);
    expect(g.cells[1]).toMatchObject({ r: 0, c: 1, x: 12, y: 0, value: -2, label: '−2' });
    expect(g.cells[3].fill).toBe(g.cells.find((c) => c.value === 0)!.fill);
    expect(g.cells[1].fill).not.toBe(g.cells[0].fill);
  });

  it('labels round tiny values to 0 and keep two decimals', () => {
    expect(cellLabel(0.0049)).toBe('0');
    expect(cellLabel(-0.126)).toBe('−0.13');
    expect(cellLabel(1)).toBe('1');
  });
});

describe('sequence layout', () => {
  it('bars grow from the zero line, up for positive and down for negative values', () => {
    const s = layoutSequence([1, -1, 0.5], {
      width: 300,
      height: 100,
      active: 1,
      knownUpTo: 2,
      domain: [-1, 1],
    });
    expect(s.zeroY).toBeCloseTo(50);
    expect(s.bars[0].y + s.bars[0].h).toBeCloseTo(s.zeroY);
    expect(s.bars[1].y).toBeCloseTo(s.zeroY);
    expect(s.bars[1].active).toBe(true);
    expect(s.bars[2].known).toBe(false);
    expect(s.bars[2].x).toBeGreaterThan(s.bars[1].x);
  });

  it('the value domain always includes 0 and pads the data', () => {
    const [lo, hi] = valueDomain([2, 3]);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(3);
    expect(valueDomain([0, 0])).toEqual([-1, 1]);
  });
});

describe('convolution window', () => {
  it('reproduces the causal convolution y_t = Σ_j K_j x_{t−j} + D x_t at every t', () => {
    const K = [0.5, 0.25, -0.125, 0.0625, 0.3];
    const x = [1, -2, 3, 0.5, -1];
    const D = 0.7;
    for (let t = 0; t < x.length; t++) {
      let want = D * x[t];
      for (let j = 0; j <= t; j++) want += K[j] * x[t - j];
      const w = convWindow(K, x, D, t);
      expect(w.y).toBeCloseTo(want, 12);
      expect(w.taps).toHaveLength(t + 1);
      expect(w.aligned[t]).toBe(K[0]);
      if (t + 1 < x.length) expect(w.aligned[t + 1]).toBeNaN();
    }
  });

  it('rejects a t outside the sequence', () => {
    expect(() => convWindow([1], [1, 2], 0, 2)).toThrow(RangeError);
  });
});

describe('data-flow diagram layout', () => {
  it('orders the main path left to right and puts D above and A below it', () => {
    const f = layoutDataFlow(600);
    const at = (id: string) => f.nodes.find((n) => n.id === id)!;
    const path = ['x', 'B', 'sum1', 'int', 'h', 'C', 'sum2', 'y'].map((id) => at(id).x);
    expect(path).toEqual([...path].sort((a, b) => a - b));
    expect(at('D').y).toBeLessThan(at('B').y);
    expect(at('A').y).toBeGreaterThan(at('B').y);
    expect(at('y').x + at('y').rx).toBeLessThanOrEqual(600);
    expect(f.junctions[0].x).toBeGreaterThan(at('x').x);
    expect(f.junctions[0].x).toBeLessThan(at('B').x);
  });

  it('numbers the four steps B, A, C, D as 1..4 and connects every edge to existing nodes', () => {
    const f = layoutDataFlow(420);
    const steps = f.nodes.filter((n) => n.step).map((n) => [n.id, n.step]);
    expect(Object.fromEntries(steps)).toEqual({ B: 1, A: 2, C: 3, D: 4 });
    const ids = new Set(f.nodes.map((n) => n.id));
    for (const e of f.edges) {
      expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
      expect(e.d).toMatch(/^M[\d.]+,[\d.]+/);
    }
  });
});
