import { describe, expect, it } from 'vitest';
import { chainLayout, decadeLabel, logPlot } from './layout';

describe('rnn stage layouts', () => {
  it('lays the unrolled chain out as T + 1 equal columns with the token line under every state row', () => {
    const c = chainLayout(12, 16, 2, { colW: 50 });
    expect(c.width).toBe(13 * 50);
    expect(c.cx(0)).toBe(25);
    expect(c.cx(12) - c.cx(11)).toBe(50);
    expect(c.stripH).toBe(16 * c.cellH);
    expect(c.rowY(1)).toBeGreaterThan(c.rowY(0) + c.stripH);
    expect(c.tokenY).toBeGreaterThan(c.rowY(1) + c.stripH);
    expect(c.height).toBeGreaterThan(c.tokenY);
  });

  it('puts δ on a log scale between whole decades, zeros on the floor and unread steps nowhere', () => {
    const p = logPlot(
      [
        [0, 0.5, 0.02, 3e-5],
        [0, 0.1, Number.NaN, Number.NaN],
      ],
      4,
      { width: 300, height: 160 },
    );
    expect(p.domain).toEqual([1e-5, 1]);
    expect(p.ticks).toEqual([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
    expect(p.y(0)).toBe(p.floorY);
    expect(p.y(Number.NaN)).toBeNull();
    expect(p.y(1)).toBeLessThan(p.y(1e-3) as number);
    expect(p.y(1e-5)).toBeLessThan(p.floorY);
    expect(p.x(0)).toBeLessThan(p.x(3));
    expect(p.x(3)).toBe(290);
  });

  it('gives a plot of nothing but zeros a decade to stand on', () => {
    const p = logPlot([[0, 0, 0]], 3, { width: 200, height: 100 });
    expect(p.domain).toEqual([1e-3, 1]);
  });

  it('writes decades as numbers near 1 and as powers of ten beyond', () => {
    expect([1, 0.1, 0.01].map(decadeLabel)).toEqual(['1', '0.1', '0.01']);
    expect(decadeLabel(1e-3)).toBe('10⁻³');
    expect(decadeLabel(1e-12)).toBe('10⁻¹²');
  });
});
