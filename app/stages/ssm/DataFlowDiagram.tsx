// The continuous SSM as a block diagram (layout from diagrams/dataFlow.ts): B acts on the input, A on the
// state, C reads the state out, D skips. The numbered badges match the list beside the diagram.

import { useWidth } from '../../components/useWidth';
import { layoutDataFlow } from '../../diagrams/dataFlow';

export function DataFlowDiagram() {
  const [ref, width] = useWidth<HTMLDivElement>(520);
  const w = Math.min(width, 640);
  const f = layoutDataFlow(w, 190);
  return (
    <div ref={ref} className="flow">
      <svg
        width={w}
        height={f.height}
        viewBox={`0 0 ${w} ${f.height}`}
        role="img"
        aria-labelledby="flow-title"
      >
        <title id="flow-title">
          Data flow of the state space model: x(t) is multiplied by B and added to A h(t) to give h′(t), which
          integrates to h(t); C reads h(t) out and D adds x(t) directly to the output y(t).
        </title>
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0L10,5L0,10z" className="arrowhead" />
          </marker>
        </defs>
        {f.edges.map((e) => (
          <g key={e.id}>
            <path
              d={e.d}
              className="wire"
              markerEnd={e.to === 'A' || e.to === 'D' ? undefined : 'url(#arrow)'}
            />
            {e.label && (
              <text x={e.lx} y={e.ly} textAnchor="middle" className="wire-label">
                {e.label}
              </text>
            )}
          </g>
        ))}
        {f.junctions.map((j) => (
          <circle key={`${j.x},${j.y}`} cx={j.x} cy={j.y} r={3} className="junction" />
        ))}
        {f.nodes.map((n) => (
          <g key={n.id} transform={`translate(${n.x},${n.y})`} className={`node node-${n.kind}`}>
            {n.kind === 'sum' ? (
              <circle r={n.rx} />
            ) : n.kind === 'signal' ? null : (
              <rect x={-n.rx} y={-n.ry} width={2 * n.rx} height={2 * n.ry} rx={4} />
            )}
            <text
              dy="0.35em"
              textAnchor="middle"
              className={n.kind === 'signal' ? 'signal-label' : 'node-label'}
            >
              {n.label}
            </text>
            {n.step && (
              <g transform={`translate(${-n.rx},${-n.ry})`} className="step-badge">
                <circle r={8} />
                <text dy="0.35em" textAnchor="middle">
                  {n.step}
                </text>
              </g>
            )}
          </g>
        ))}
      </svg>
    </div>
  );
}
