// The continuous SSM as a block diagram (layout from diagrams/dataFlow.ts): B acts on the input, A on the
// state, C reads the state out, D skips. The numbered badges match the list beside the diagram. Each
// block and signal is linked to its symbol in the text (hover or focus either one); the diagram draws no
// numbers, so it has no value readout or table.

import { useId } from 'react';
import { ArrowMarker } from '../../components/Figure';
import { useSym } from '../../components/Sym';
import { useWidth } from '../../components/useWidth';
import { type FlowNode, layoutDataFlow } from '../../diagrams/dataFlow';
import { useTranslation } from '../../i18n';

/** Diagram node id → linked symbol (the sum and integrator nodes have none). */
const SYMBOL: Record<string, string | undefined> = { x: 'x', B: 'B', A: 'A', h: 'h', C: 'C', D: 'D', y: 'y' };

function Node({ n }: { n: FlowNode }) {
  const { t } = useTranslation('ssm');
  const s = SYMBOL[n.id];
  const { bind } = useSym(s ?? '', `node node-${n.kind}`);
  const linked = s !== undefined;
  return (
    <g
      transform={`translate(${n.x},${n.y})`}
      {...(linked
        ? { ...bind, tabIndex: 0, role: 'img', 'aria-label': t(`flow.node.${n.id}`) }
        : { className: `node node-${n.kind}`, 'aria-hidden': true })}
    >
      {n.kind === 'sum' ? (
        <circle r={n.rx} />
      ) : n.kind === 'signal' ? (
        <rect x={-n.rx} y={-n.ry} width={2 * n.rx} height={2 * n.ry} rx={4} className="signal-box" />
      ) : (
        <rect x={-n.rx} y={-n.ry} width={2 * n.rx} height={2 * n.ry} rx={4} />
      )}
      <text dy="0.35em" textAnchor="middle" className={n.kind === 'signal' ? 'signal-label' : 'node-label'}>
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
  );
}

export function DataFlowDiagram() {
  const { t } = useTranslation('ssm');
  const [ref, width] = useWidth<HTMLElement>(520);
  const titleId = useId();
  const w = Math.min(width, 640);
  const f = layoutDataFlow(w, 190);
  return (
    <figure ref={ref} className="flow">
      <svg width={w} height={f.height} viewBox={`0 0 ${w} ${f.height}`} aria-labelledby={titleId}>
        <title id={titleId}>{t('flow.title')}</title>
        <defs>
          <ArrowMarker id="arrow" size={7} />
        </defs>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: the wires are not focusable; only nodes are. */}
        <g aria-hidden="true">
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
        </g>
        {f.nodes.map((n) => (
          <Node key={n.id} n={n} />
        ))}
      </svg>
    </figure>
  );
}
