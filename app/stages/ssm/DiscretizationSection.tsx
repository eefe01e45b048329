// Section 2: ZOH and bilinear discretization side by side, Ā (N×N) and B̄ (N×1) as live grids from the
// engine's outputs, with the Δ slider and the sentence on Δ as a gate.

import { MatrixGrid } from '../../components/MatrixGrid';
import { ParamControls } from '../../components/ParamControls';
import { Tex } from '../../components/Tex';
import { useWidth } from '../../components/useWidth';
import { ssmStageParams } from './params';
import { useSsmResult } from './hooks';
import type { SsmResult } from './runtime';
import { ssmTex } from './tex';

function maxAbsOf(...arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]));
  return m || 1;
}

function Method({ r, method, cell }: { r: SsmResult; method: 'zoh' | 'bilinear'; cell: number }) {
  const N = r.params.N;
  const Abar = method === 'zoh' ? r.outputs.AbarZoh : r.outputs.AbarBilinear;
  const Bbar = method === 'zoh' ? r.outputs.BbarZoh : r.outputs.BbarBilinear;
  const extent = maxAbsOf(r.outputs.AbarZoh, r.outputs.AbarBilinear);
  const bExtent = maxAbsOf(r.outputs.BbarZoh, r.outputs.BbarBilinear);
  const used = r.params.disc === method;
  return (
    <figure className={used ? 'method used' : 'method'} data-testid={`disc-${method}`}>
      <figcaption>
        {method === 'zoh' ? 'Zero-order hold (ZOH)' : 'Bilinear (Tustin)'}
        {used && <span className="tag">used below</span>}
      </figcaption>
      <Tex tex={method === 'zoh' ? ssmTex.zoh : ssmTex.bilinear} display />
      <div className="grids">
        <div>
          <div className="grid-label">
            <Tex tex="\bar A" /> ({N}×{N})
          </div>
          <MatrixGrid
            values={Abar}
            rows={N}
            cols={N}
            cell={cell}
            extent={extent}
            label={`Ā for ${method}, ${N} by ${N}`}
            name={(i, j) => `Ā[${i},${j}]`}
          />
        </div>
        <div>
          <div className="grid-label">
            <Tex tex="\bar B" /> ({N}×1)
          </div>
          <MatrixGrid
            values={Bbar}
            rows={N}
            cols={1}
            cell={cell}
            extent={bExtent}
            label={`B̄ for ${method}, ${N} entries`}
            name={(i) => `B̄[${i}]`}
          />
        </div>
      </div>
    </figure>
  );
}

/** Live numbers for the gate: A is lower triangular, so Ā is too and its diagonal holds its eigenvalues. */
function DiagonalNote({ r }: { r: SsmResult }) {
  const N = r.params.N;
  const Abar = r.params.disc === 'zoh' ? r.outputs.AbarZoh : r.outputs.AbarBilinear;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let n = 0; n < N; n++) {
    lo = Math.min(lo, Abar[n * N + n]);
    hi = Math.max(hi, Abar[n * N + n]);
  }
  return (
    <>
      {' '}
      Now, with Δ = {r.params.dt} ({r.params.disc === 'zoh' ? 'ZOH' : 'bilinear'}), the diagonal of{' '}
      <Tex tex="\bar A" /> (its eigenvalues, as A is lower triangular) runs from <b>{lo.toFixed(3)}</b> to{' '}
      <b>{hi.toFixed(3)}</b>: each step multiplies the state's modes by factors in this range.
    </>
  );
}

export function DiscretizationSection() {
  const r = useSsmResult();
  const [ref, width] = useWidth<HTMLDivElement>(900);
  const N = r?.params.N ?? 8;
  const perMethod = width >= 760 ? width / 2 - 24 : width;
  const cell = Math.max(6, Math.min(36, Math.floor((perMethod - 60) / (N + 1.5))));
  const dt = r?.params.dt ?? 0;
  return (
    <section className="section" aria-labelledby="sec-disc">
      <h3 id="sec-disc">2. Discretization: from h′(t) to a step rule</h3>
      <p>
        A computer sees the input only at samples <Tex tex="x_k = x(k\Delta)" />. Integrating the differential
        equation over one step of length <Tex tex="\Delta" /> turns it into the recurrence{' '}
        <Tex tex="h_k = \bar A h_{k-1} + \bar B x_k" />. Two standard rules give <Tex tex="\bar A" /> and{' '}
        <Tex tex="\bar B" />: zero-order hold (ZOH) assumes the input is constant during the step and
        integrates exactly; the bilinear rule approximates the integral with the trapezoid rule (S4 uses it).
        Move <Tex tex="\Delta" /> and watch both.
      </p>
      <ParamControls specs={ssmStageParams} keys={['dt', 'disc']} />
      <p className="gate">
        <b>Δ works like a gate.</b> A large Δ makes <Tex tex="\bar A = e^{\Delta A}" /> small (A is stable),
        so the state forgets its past and focuses on the current input; a small Δ makes{' '}
        <Tex tex="\bar A \approx I" /> and <Tex tex="\bar B \approx \Delta B" /> tiny, so the state is kept
        and the input barely enters. Mamba makes Δ depend on the input for exactly this reason.
        {r && <DiagonalNote r={r} />}
      </p>
      <div ref={ref} className="methods">
        {r ? (
          <>
            <Method r={r} method="zoh" cell={cell} />
            <Method r={r} method="bilinear" cell={cell} />
          </>
        ) : (
          <p className="placeholder">Computing Ā and B̄ for Δ = {dt}…</p>
        )}
      </div>
      <p className="legend">
        <span className="swatch neg" /> negative <span className="swatch pos" /> positive; hover a cell for
        its exact value. Both grids of a kind share one colour scale.{' '}
        {r &&
          (r.backend === 'webgpu'
            ? 'Computed by WebGPU kernels and read back.'
            : 'Computed by the CPU reference.')}
      </p>
    </section>
  );
}
