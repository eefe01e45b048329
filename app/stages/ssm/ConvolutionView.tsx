// Section 4: the convolution view. The kernel K̄ = (CB̄, CĀB̄, …) computed on the GPU slides over the
// input; the output equals the recurrence's, and the live check shows by how much they differ.

import { Check } from '../../components/Check';
import { SequenceBars } from '../../components/SequenceBars';
import { Tex } from '../../components/Tex';
import { useWidth } from '../../components/useWidth';
import { convWindow } from '../../diagrams/convWindow';
import { valueDomain } from '../../diagrams/sequence';
import { useApp } from '../../store';
import { useSsmResult } from './hooks';
import type { SsmResult } from './runtime';
import { recConvCheck } from './checks';
import { ssmTex } from './tex';

function num(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3).replace('-', '−') : '…';
}

function Body({ r, width }: { r: SsmResult; width: number }) {
  const k = useApp((s) => s.k);
  const { L } = r.params;
  const u = r.inputs.u;
  const K = r.outputs.K;
  const win = k >= 1 ? convWindow(K, u, r.inputs.D, k - 1) : null;
  const yDomain = valueDomain(r.outputs.yRec, r.outputs.yConv);
  const check = recConvCheck(r);
  const kDomain = valueDomain(K);
  return (
    <>
      <div className="seq-row">
        <div className="seq-label">
          kernel <Tex tex="\bar K_j = C\bar A^{j}\bar B" />, <Tex tex="j = 0 \dots L-1" />
        </div>
        <SequenceBars values={K} width={width} label={`kernel K, ${L} taps`} tone="kernel" domain={kDomain} />
      </div>
      <div className="seq-row">
        <div className="seq-label">
          input <Tex tex="x" />
        </div>
        <SequenceBars values={u} width={width} label="input x" active={k - 1} tone="input" />
      </div>
      <div className="seq-row">
        <div className="seq-label">
          <Tex tex="\bar K" /> flipped and slid to step k: <Tex tex="\bar K_0" /> under <Tex tex="x_k" />,{' '}
          <Tex tex="\bar K_1" /> under <Tex tex="x_{k-1}" />, …
        </div>
        <SequenceBars
          values={win ? win.aligned : new Float64Array(L).fill(Number.NaN)}
          width={width}
          label="kernel aligned under the input for the current step"
          active={k - 1}
          tone="kernel"
          domain={kDomain}
        />
      </div>
      <div className="seq-row">
        <div className="seq-label">
          output <Tex tex="y = \bar K * x + Dx" /> (bars) and the recurrence's <Tex tex="y_k" /> (dots)
        </div>
        <SequenceBars
          values={r.outputs.yConv}
          dots={r.outputs.yRec}
          width={width}
          label="convolution output with the recurrent output as dots"
          active={k - 1}
          domain={yDomain}
          tone="output"
        />
      </div>
      <p className="conv-sum">
        {win ? (
          <>
            <Tex tex={`y_{${k}} = \\sum_{j=0}^{${k - 1}} \\bar K_j\\, x_{${k}-j} + D\\,x_{${k}}`} /> ={' '}
            <b>{num(win.y)}</b> (sum of the {win.taps.length} products shown) · convolution on the{' '}
            {r.backend === 'webgpu' ? 'GPU' : 'CPU'}: <b>{num(r.outputs.yConv[k - 1])}</b> · recurrence:{' '}
            <b>{num(r.outputs.yRec[k - 1])}</b>
          </>
        ) : (
          'Step forward to slide the kernel over the input.'
        )}
      </p>
      <Check
        name="rec-conv"
        label="recurrent vs convolution outputs (all L steps)"
        maxErr={check.maxErr}
        tolerance={check.tolerance}
      />
    </>
  );
}

export function ConvolutionView() {
  const r = useSsmResult();
  const [ref, width] = useWidth<HTMLDivElement>(900);
  return (
    <section className="section" aria-labelledby="sec-conv">
      <h3 id="sec-conv">4. The convolution view: all steps at once</h3>
      <p>
        Unroll the recurrence from <Tex tex="h_0 = 0" /> and every output is a weighted sum of past inputs
        with fixed weights, because <Tex tex="\bar A, \bar B, C" /> do not change over time:
      </p>
      <Tex tex={ssmTex.unroll} display />
      <Tex tex={ssmTex.kernel} display />
      <Tex tex={ssmTex.convolution} display />
      <p>
        So the whole output is one convolution with the kernel <Tex tex="\bar K" />: it can be computed for
        all <Tex tex="k" /> in parallel (S4 does it with an FFT), while the recurrence needs <Tex tex="L" />{' '}
        sequential steps but only <Tex tex="O(N)" /> memory per step. Same numbers, two algorithms.
      </p>
      <div ref={ref} className="view">
        {r ? <Body r={r} width={width} /> : <p className="placeholder">Computing…</p>}
      </div>
    </section>
  );
}
