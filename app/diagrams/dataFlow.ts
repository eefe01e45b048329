// Layout of the continuous SSM as a block diagram: x(t) → B → + → ∫ → h(t) → C → + → y(t), with A feeding
// h back into the first sum and D skipping from x to the output sum. d3 point scales place the columns.

import { scalePoint } from 'd3';

export type FlowNodeKind = 'signal' | 'block' | 'sum' | 'integrator';

export interface FlowNode {
  id: string;
  kind: FlowNodeKind;
  label: string;
  x: number;
  y: number;
  /** Half width and half height of the node's box (the radius for sums). */
  rx: number;
  ry: number;
  /** The numbered data-flow step this node is, if any (1: B, 2: A, 3: C, 4: D). */
  step?: number;
}

export interface FlowEdge {
  id: string;
  from: string;
  to: string;
  /** SVG path data, ending at the target's border (the arrowhead goes there). */
  d: string;
  label?: string;
  lx?: number;
  ly?: number;
}

export interface FlowLayout {
  width: number;
  height: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Dots where one wire splits into two (x feeds both B and D). */
  junctions: { x: number; y: number }[];
}

const COLUMNS = ['x', 'B', 'sum1', 'int', 'h', 'C', 'sum2', 'y'] as const;

export function layoutDataFlow(width: number, height = 200): FlowLayout {
  const col = scalePoint<string>()
    .domain(COLUMNS)
    .range([28, width - 28]);
  const colX = (id: (typeof COLUMNS)[number]) => col(id) ?? 0;
  const mid = height / 2;
  const top = 26;
  const bottom = height - 26;
  const box = Math.min(18, col.step() * 0.32);

  const nodes: FlowNode[] = [
    { id: 'x', kind: 'signal', label: 'x(t)', x: colX('x'), y: mid, rx: 18, ry: 12 },
    { id: 'B', kind: 'block', label: 'B', x: colX('B'), y: mid, rx: box, ry: box, step: 1 },
    { id: 'sum1', kind: 'sum', label: '+', x: colX('sum1'), y: mid, rx: 10, ry: 10 },
    { id: 'int', kind: 'integrator', label: '∫', x: colX('int'), y: mid, rx: box, ry: box },
    { id: 'h', kind: 'signal', label: 'h(t)', x: colX('h'), y: mid, rx: 18, ry: 12 },
    { id: 'C', kind: 'block', label: 'C', x: colX('C'), y: mid, rx: box, ry: box, step: 3 },
    { id: 'sum2', kind: 'sum', label: '+', x: colX('sum2'), y: mid, rx: 10, ry: 10 },
    { id: 'y', kind: 'signal', label: 'y(t)', x: colX('y'), y: mid, rx: 18, ry: 12 },
    {
      id: 'A',
      kind: 'block',
      label: 'A',
      x: (colX('sum1') + colX('h')) / 2,
      y: bottom,
      rx: box,
      ry: box,
      step: 2,
    },
    {
      id: 'D',
      kind: 'block',
      label: 'D',
      x: (colX('B') + colX('sum2')) / 2,
      y: top,
      rx: box,
      ry: box,
      step: 4,
    },
  ];
  const at = (id: string) => nodes.find((n) => n.id === id)!;
  const right = (id: string) => at(id).x + at(id).rx;
  const left = (id: string) => at(id).x - at(id).rx;
  const straight = (from: string, to: string, label?: string): FlowEdge => ({
    id: `${from}-${to}`,
    from,
    to,
    d: `M${right(from)},${mid}H${left(to)}`,
    label,
    lx: (right(from) + left(to)) / 2,
    ly: mid - 8,
  });

  const A = at('A');
  const D = at('D');
  const edges: FlowEdge[] = [
    straight('x', 'B'),
    straight('B', 'sum1', 'Bx'),
    straight('sum1', 'int', 'h′'),
    straight('int', 'h'),
    straight('h', 'C'),
    straight('C', 'sum2', 'Ch'),
    straight('sum2', 'y'),
    // A: from h down and back left into the bottom of the first sum.
    {
      id: 'h-A',
      from: 'h',
      to: 'A',
      d: `M${at('h').x},${mid + at('h').ry}V${A.y}H${A.x + A.rx}`,
    },
    {
      id: 'A-sum1',
      from: 'A',
      to: 'sum1',
      d: `M${A.x - A.rx},${A.y}H${at('sum1').x}V${mid + at('sum1').ry}`,
      label: 'Ah',
      lx: at('sum1').x - 14,
      ly: (A.y + mid) / 2 + 10,
    },
    // D: from the x wire up, across the top, down into the output sum.
    {
      id: 'x-D',
      from: 'x',
      to: 'D',
      d: `M${(right('x') + left('B')) / 2},${mid}V${D.y}H${D.x - D.rx}`,
    },
    {
      id: 'D-sum2',
      from: 'D',
      to: 'sum2',
      d: `M${D.x + D.rx},${D.y}H${at('sum2').x}V${mid - at('sum2').ry}`,
      label: 'Dx',
      lx: at('sum2').x + 16,
      ly: (D.y + mid) / 2,
    },
  ];
  const junctions = [{ x: (right('x') + left('B')) / 2, y: mid }];
  return { width, height, nodes, edges, junctions };
}
