// Section 3: the recurrence animated step by step. Every h_k and y_k shown here was read back from the
// GPU (or the CPU backend) by the stepper as the steps ran; stepping back shows cached values.

import { Check } from '../../components/Check';
import { MatrixGrid } from '../../components/MatrixGrid';
import { SequenceBars } from '../../components/SequenceBars';
import { Tex } from '../../components/Tex';
import { useWidth } from '../../components/useWidth';
import { cellLabel } from '../../diagrams/matrixGrid';
import { valueDomain } from '../../diagrams/sequence';
import { useApp } from '../../store';
import { useSsmResult, useSsmSteps } from './hooks';
import type { SsmResult } from './runtime';
import { stateHistory, stepOutputs, stepperCheck } from './checks';
import { ssmTex } from './tex';

function num(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3).replace('-', '−') : '…';
}

function Body({ r, width }: { r: SsmResult; width: number }) {
  const steps = useSsmSteps();
  const k = useApp((s) => s.k);
  const stepError = useApp((s) => s.stepError);
  const playing = useApp((s) => s.playing);
  const { N, L } = r.params;
  const u = r.inputs.u;
  const cur = k >= 1 ? steps[k - 1] : undefined;
  const prev = k >= 2 ? steps[k - 2] : undefined;
  const pending = k >= 1 && !cur;
  const yDomain = valueDomain(r.outputs.yRec, r.outputs.yConv);
  const check = stepperCheck(r, steps, k);
  const hExtent = Math.max(1e-6, ...Array.from(r.outputs.states, (v) => Math.abs(v)));
  const zeros = new Float32Array(N);
  const cell = Math.max(12, Math.min(30, Math.floor(240 / N)));
  // Cells as wide as the bars above (same 44px gutter), so time lines up.
  const histGap = (width - 44) / L >= 6 ? 1 : 0;
  const histCell = Math.max(1, (width - 44) / L - histGap);
  const ch = cur ? Array.from(cur.x, (h, n) => r.inputs.C[n] * h).reduce((a, b) => a + b, 0) : Number.NaN;

  return (
    <>
      <div className="seq-row">
        <div className="seq-label">
          input <Tex tex="x_k" />
        </div>
        <SequenceBars values={u} width={width} label={`input x, ${L} samples`} active={k - 1} tone="input" />
      </div>

      <div className="state-row">
        <div className="state-col">
          <div className="grid-label">
            <Tex tex={`h_{${Math.max(k - 1, 0)}}`} />
          </div>
          <MatrixGrid
            values={prev?.x ?? zeros}
            rows={N}
            cols={1}
            cell={cell}
            extent={hExtent}
            label="previous state"
            name={(n) => `h_${k - 1}[${n}]`}
          />
        </div>
        <div className="state-eq">
          <Tex
            tex={String.raw`h_{${Math.max(k, 1)}} = \bar A\,h_{${Math.max(k - 1, 0)}} + \bar B\,x_{${Math.max(k, 1)}}`}
            display
          />
          <p>
            <Tex tex="x_k" /> = <b>{k >= 1 ? num(u[k - 1]) : '—'}</b>
          </p>
          <p className="arrow" aria-hidden="true">
            →
          </p>
        </div>
        <div className="state-col">
          <div className="grid-label">
            <Tex tex={`h_{${k}}`} />
          </div>
          <MatrixGrid
            values={cur?.x ?? (k === 0 ? zeros : new Float32Array(N).fill(Number.NaN))}
            rows={N}
            cols={1}
            cell={cell}
            extent={hExtent}
            label="current state"
            name={(n) => `h_${k}[${n}]`}
            testId="state-current"
          />
        </div>
        <div className="state-eq">
          <p>
            <Tex tex="y_k = C h_k + D x_k" />
          </p>
          <p>
            = <b data-testid="y-current">{cur ? num(cur.y) : k === 0 ? '—' : '…'}</b>
          </p>
          {cur && (
            <p className="small">
              = {num(ch)} + {num(r.inputs.D)} × {u[k - 1] < 0 ? `(${num(u[k - 1])})` : num(u[k - 1])}
            </p>
          )}
          {pending && (
            <p className="small">
              reading step {k} back from the {r.backend === 'webgpu' ? 'GPU' : 'CPU'}…
            </p>
          )}
          {k === 0 && <p className="small">Press step or play.</p>}
        </div>
      </div>

      <div className="seq-row">
        <div className="seq-label">
          output <Tex tex="y_k" />
        </div>
        <SequenceBars
          values={stepOutputs(L, steps, k)}
          width={width}
          label={`output y read back so far, ${Math.min(k, steps.length)} of ${L}`}
          active={k - 1}
          domain={yDomain}
          tone="output"
        />
      </div>

      <div className="seq-row">
        <div className="seq-label">
          state history <Tex tex="h_1 \dots h_k" /> ({N} rows × {L} steps)
        </div>
        <div className="history">
          <MatrixGrid
            values={stateHistory(N, L, steps, k)}
            rows={N}
            cols={L}
            cell={histCell}
            gap={histGap}
            extent={hExtent}
            label={`states read back so far: ${N} components over ${L} steps`}
            name={(n, i) => `h_${i + 1}[${n}]`}
          />
        </div>
      </div>

      <p className="visually-hidden" aria-live={playing ? 'off' : 'polite'}>
        {cur ? `Step ${k}: x = ${num(u[k - 1])}, y = ${num(cur.y)}` : ''}
      </p>
      {stepError && (
        <p className="error" role="alert">
          The step could not run: {stepError}
        </p>
      )}
      <Check
        name="stepper"
        label={`stepper y₁…y${k === 0 ? '₀' : 'ₖ'} vs batched recurrence (${check.compared} steps)`}
        maxErr={check.maxErr}
        tolerance={check.tolerance}
        pending={check.compared === 0 ? 'no steps yet: press step or play' : undefined}
      />
      <p className="small">
        Value tooltip on each cell; {cellLabel(hExtent)} is the largest |h| in the colour scale.
      </p>
    </>
  );
}

/** The section's heading and text; the playback bar follows it in Diagram.tsx. */
export function RecurrentIntro() {
  return (
    <section className="section" aria-labelledby="sec-rec">
      <h3 id="sec-rec">3. The recurrent view: one step at a time</h3>
      <Tex tex={ssmTex.recurrence} display />
      <p>
        Like an RNN, the state <Tex tex="h_k" /> carries everything the model remembers, and each step costs
        the same. Each step below is one GPU dispatch; its state and output are read back and cached, so
        stepping back or scrubbing costs nothing.
      </p>
    </section>
  );
}

export function RecurrentBody() {
  const r = useSsmResult();
  const [ref, width] = useWidth<HTMLDivElement>(900);
  return (
    <div ref={ref} className="view">
      {r ? <Body r={r} width={width} /> : <p className="placeholder">Computing…</p>}
    </div>
  );
}
