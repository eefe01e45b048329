// The run as an SVG chart, built as a string (no DOM): time against L on log-log axes, one path per
// algorithm that ran, and the crossovers of the compared pairs marked and numbered, with a note each.

import type { Report } from './report';
import { lengthLabel } from './sizes';

const W = 980;
const PLOT = { left: 74, top: 56, width: 600, height: 430 };
const LEGEND_X = PLOT.left + PLOT.width + 24;
// Okabe-Ito, then the same colours dashed, then dotted.
const COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#000000', '#999999'];
const DASHES = ['', '7 4', '2 3'];

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (v: number) => v.toFixed(1);

/** A log scale from [lo, hi] onto [a, b]. */
function logScale(lo: number, hi: number, a: number, b: number): (v: number) => number {
  const [l0, l1] = [Math.log10(lo), Math.log10(hi)];
  return (v) => a + ((Math.log10(v) - l0) / (l1 - l0 || 1)) * (b - a);
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

const msLabel = (v: number) => (v >= 1 ? `${v}` : v.toPrecision(1));

export function renderSvg(report: Report): string {
  const ok = report.rows.filter((r) => r.status === 'ok' && r.ms !== null && r.ms > 0);
  const series = report.algorithms.filter((a) => ok.some((r) => r.algorithm === a.id));
  const Ls = report.sizes.Ls;
  const times = ok.map((r) => r.ms!);
  const yTicks = decades(Math.min(...times, 1), Math.max(...times, 1));
  const [yLo, yHi] = [yTicks[0], yTicks[yTicks.length - 1]];
  const x = logScale(Ls[0], Ls[Ls.length - 1], PLOT.left, PLOT.left + PLOT.width);
  const y = logScale(yLo, yHi, PLOT.top + PLOT.height, PLOT.top);
  const crossings = report.comparisons.flatMap((c) => c.crossovers.map((x) => ({ c, x })));
  const label = (id: string) => report.algorithms.find((a) => a.id === id)?.label ?? id;
  const notesTop = PLOT.top + PLOT.height + 64;
  const H = Math.max(notesTop + 16 * crossings.length + 16, PLOT.top + 20 * series.length + 40);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${esc(`Seqscope bench: time vs L on ${report.adapter.name}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text class="title" x="${PLOT.left}" y="24" font-size="15" font-weight="600">` +
      `${esc(`Time per run vs sequence length — ${report.adapter.name}`)}</text>`,
    `<text x="${PLOT.left}" y="42" fill="#555555">` +
      `${esc(`${report.date}, commit ${report.commit ?? 'unknown'}, sizes ${report.sizes.name}, f32, batch 1; log-log`)}</text>`,
  ];
  // Axes, grid and ticks.
  const [bottom, right] = [PLOT.top + PLOT.height, PLOT.left + PLOT.width];
  out.push(`<g class="axes" stroke="#333333" fill="none">`);
  out.push(`<path class="axis x" d="M${PLOT.left} ${bottom}H${right}"/>`);
  out.push(`<path class="axis y" d="M${PLOT.left} ${bottom}V${PLOT.top}"/>`, `</g>`);
  out.push(`<g class="ticks" fill="#333333">`);
  for (const L of Ls) {
    const px = f(x(L));
    out.push(`<path d="M${px} ${PLOT.top}V${bottom}" stroke="#eeeeee"/>`);
    out.push(`<text x="${px}" y="${bottom + 18}" text-anchor="middle">${lengthLabel(L)}</text>`);
  }
  for (const t of yTicks) {
    const py = f(y(t));
    out.push(`<path d="M${PLOT.left} ${py}H${right}" stroke="#eeeeee"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${py}" text-anchor="end" dy="4">${msLabel(t)}</text>`);
  }
  out.push(`</g>`);
  out.push(
    `<text class="axis-label x" x="${PLOT.left + PLOT.width / 2}" y="${bottom + 42}" text-anchor="middle">` +
      `sequence length L (tokens, log scale)</text>`,
    `<text class="axis-label y" transform="translate(20 ${PLOT.top + PLOT.height / 2}) rotate(-90)" ` +
      `text-anchor="middle">time per run, ms (log scale)</text>`,
  );
  // One path per algorithm, its points, and its legend entry.
  series.forEach((a, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const dash = DASHES[Math.floor(i / COLOURS.length) % DASHES.length];
    const pts = ok.filter((r) => r.algorithm === a.id).sort((p, q) => p.L - q.L);
    const d = pts.map((r, j) => `${j ? 'L' : 'M'}${f(x(r.L))} ${f(y(r.ms!))}`).join('');
    const style = `stroke="${colour}" stroke-width="2" fill="none"${dash ? ` stroke-dasharray="${dash}"` : ''}`;
    out.push(`<g class="algorithm" data-algorithm="${esc(a.id)}">`);
    out.push(`<path class="series" data-algorithm="${esc(a.id)}" d="${d}" ${style}/>`);
    for (const r of pts) out.push(`<circle cx="${f(x(r.L))}" cy="${f(y(r.ms!))}" r="2.5" fill="${colour}"/>`);
    const ly = PLOT.top + 6 + 20 * i;
    out.push(`<path d="M${LEGEND_X} ${ly}h26" ${style}/>`);
    out.push(`<text class="legend" x="${LEGEND_X + 32}" y="${ly + 4}">${esc(a.label)}</text>`, `</g>`);
  });
  // Crossovers: a numbered ring on the chart and a note below it.
  out.push(`<text x="${PLOT.left}" y="${notesTop - 16}" font-weight="600">Crossovers</text>`);
  crossings.forEach(({ c, x: at }, i) => {
    const [cx, cy] = [f(x(at.L)), f(y(at.ms))];
    const text =
      `${i + 1}: ${label(c.a)} = ${label(c.b)} at L ≈ ${Math.round(at.L)}; ` +
      `${at.aFasterAbove ? label(c.a) : label(c.b)} faster above`;
    out.push(`<g class="crossover" data-a="${esc(c.a)}" data-b="${esc(c.b)}">`);
    out.push(`<circle cx="${cx}" cy="${cy}" r="7" fill="none" stroke="#000000" stroke-width="1.5"/>`);
    out.push(`<text x="${cx}" y="${cy}" dx="9" dy="-8" font-weight="600">${i + 1}</text>`);
    out.push(`<text class="crossover-note" x="${PLOT.left}" y="${notesTop + 16 * i}">${esc(text)}</text>`);
    out.push(`</g>`);
  });
  if (crossings.length === 0) out.push(`<text x="${PLOT.left}" y="${notesTop}">none in this run</text>`);
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}
