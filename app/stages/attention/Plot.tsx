// A small line plot on linear axes from 0: a line through (x, y) pairs, dots at the measured ones, ticks
// along x, the top value on y. Shared by the memory and the decode-cost charts; the numbers it draws are
// also given in words or a table beside it.

import { FigureSvg } from '../../components/Figure';

const PAD = { left: 60, right: 14, top: 12, bottom: 30 };

export type XY = readonly [number, number];

export interface PlotProps {
  width: number;
  height?: number;
  xMin?: number;
  xMax: number;
  yMax: number;
  line: readonly XY[];
  points: readonly XY[];
  xTicks: ReadonlyArray<{ x: number; label: string }>;
  xName: string;
  yTop: string;
  /** Text beside the first point. */
  pointLabel?: string;
  label: string;
  testId?: string;
}

export function Plot({
  width,
  height = 170,
  xMin = 0,
  xMax,
  yMax,
  line,
  points,
  xTicks,
  xName,
  yTop,
  pointLabel,
  label,
  testId,
}: PlotProps) {
  const W = Math.max(240, Math.min(540, width));
  const H = height;
  const x = (v: number) =>
    PAD.left + ((v - xMin) / Math.max(1e-12, xMax - xMin)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / Math.max(1e-12, yMax)) * (H - PAD.top - PAD.bottom);
  const [p0] = points;
  const right = p0 && x(p0[0]) > W * 0.7;
  return (
    <FigureSvg className="chart" width={W} height={H} label={label} testId={testId}>
      <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} />
      <line className="axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={H - PAD.bottom} />
      <path className="law" d={line.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${x(a)},${y(b)}`).join('')} />
      {points.map(([a, b]) => (
        <circle key={a} className="measured" cx={x(a)} cy={y(b)} r={4.5} />
      ))}
      {xTicks.map((tk) => (
        <text key={tk.x} className="tick" x={x(tk.x)} y={H - PAD.bottom + 14} textAnchor="middle">
          {tk.label}
        </text>
      ))}
      <text className="tick" x={W - PAD.right} y={H - 2} textAnchor="end">
        {xName}
      </text>
      <text className="tick" x={PAD.left - 6} y={y(yMax)} dy="0.7em" textAnchor="end">
        {yTop}
      </text>
      <text className="tick" x={PAD.left - 6} y={y(0)} textAnchor="end">
        0
      </text>
      {p0 && pointLabel && (
        <text
          className="point-label"
          x={x(p0[0]) + (right ? -8 : 8)}
          y={y(p0[1]) - 8}
          textAnchor={right ? 'end' : 'start'}
        >
          {pointLabel}
        </text>
      )}
    </FigureSvg>
  );
}
