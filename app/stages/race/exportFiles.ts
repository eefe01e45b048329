// The race's downloads, made in the page (no network): the report as JSON (the CLI's Report, the same
// schema) and a plot as PNG, drawn on a canvas from the on-screen SVG with its computed theme colours
// written in (an SVG image carries no page CSS) and its legend below it.

import type { raceStage } from '../../../engine';

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const stamp = (r: raceStage.Report) => r.date.replace(/[:.]/g, '-');

export function downloadJson(report: raceStage.Report): void {
  const blob = new Blob([`${JSON.stringify(report, null, 1)}\n`], { type: 'application/json' });
  download(blob, `seqscope-race-${stamp(report)}.json`);
}

const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-size',
  'font-family',
  'font-weight',
] as const;

/** A copy of `svg` with every element's computed presentation written in as attributes. */
function inlined(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [copy, ...copy.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    for (const p of STYLE_PROPS) dst[i].setAttribute(p, cs.getPropertyValue(p));
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return copy;
}

function image(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const text = new XMLSerializer().serializeToString(inlined(svg));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the plot could not be drawn as an image'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  });
}

/** The plot inside `figure` (its SVG and its legend list) as a PNG, at twice the CSS pixels. */
export async function plotPng(figure: HTMLElement): Promise<Blob> {
  const svg = figure.querySelector<SVGSVGElement>('svg[role="img"]');
  if (!svg) throw new Error('no plot to export');
  const items = [...figure.querySelectorAll<HTMLLIElement>('.race-legend li')];
  const [w, h] = [svg.width.baseVal.value, svg.height.baseVal.value];
  const line = 18;
  const canvas = document.createElement('canvas');
  const scale = 2;
  canvas.width = w * scale;
  canvas.height = (h + line * items.length + 8) * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  const page = getComputedStyle(figure);
  ctx.fillStyle = page.getPropertyValue('--bg') || getComputedStyle(document.body).backgroundColor;
  ctx.fillRect(0, 0, w, canvas.height / scale);
  ctx.drawImage(await image(svg), 0, 0, w, h);
  ctx.font = `12px ${page.fontFamily}`;
  items.forEach((li, i) => {
    const y = h + 4 + line * i + line / 2;
    const stroke = li.querySelector('line');
    const cs = stroke ? getComputedStyle(stroke) : null;
    ctx.strokeStyle = cs?.stroke ?? page.color;
    ctx.lineWidth = Number.parseFloat(cs?.strokeWidth ?? '2') || 2;
    ctx.setLineDash(
      (cs?.strokeDasharray ?? 'none')
        .split(/[ ,]+/)
        .map(Number)
        .filter((v) => v > 0),
    );
    ctx.beginPath();
    ctx.moveTo(12, y);
    ctx.lineTo(40, y);
    ctx.stroke();
    ctx.fillStyle = page.color;
    ctx.fillText(li.textContent ?? '', 48, y + 4);
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
  );
}

export async function downloadPng(figure: HTMLElement, report: raceStage.Report | null): Promise<void> {
  const blob = await plotPng(figure);
  download(blob, `seqscope-race-${report ? stamp(report) : 'reference'}.png`);
}
