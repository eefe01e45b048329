// The ssm stage's introduction: what an SSM is, the notation used on screen, and where the numbers come from.

import { Tex } from '../../components/Tex';
import { useSsmResult } from './hooks';
import { ssmTex } from './tex';

export function SsmProse() {
  const r = useSsmResult();
  return (
    <div className="prose">
      <p>
        A <b>state space model</b> (SSM) maps an input signal <Tex tex="x(t)" /> to an output{' '}
        <Tex tex="y(t)" /> through a hidden state <Tex tex="h(t) \in \mathbb{R}^N" /> that follows a linear
        differential equation. S4 and Mamba are built from this one block. This stage takes it from its
        continuous form, through discretization, to two computations of the same output: a <b>recurrence</b>{' '}
        (like an RNN) and a <b>convolution</b> (like a CNN).
      </p>
      <p className="notation">
        <b>Notation.</b> <Tex tex="x" /> is the input, <Tex tex="h" /> the state and <Tex tex="y" /> the
        output, as in the Mamba paper (the S4 paper and the engine's code call the input <Tex tex="u" /> and
        the state <Tex tex="x" />
        ). Steps are numbered <Tex tex="k = 1, \dots, L" /> from <Tex tex="h_0 = 0" />. <Tex tex="A" /> is the{' '}
        <Tex tex="N \times N" /> HiPPO-LegS matrix and <Tex tex="B" /> its vector (the next stage explains
        them), <Tex tex="C" /> a fixed random read-out (seeded, so links reproduce) and{' '}
        <Tex tex={r ? `D = ${r.inputs.D}` : 'D'} /> a scalar skip:
      </p>
      <Tex tex={ssmTex.hippo} display />
      <p>
        Every number below is computed live by the engine: WebGPU kernels when your browser has WebGPU,
        otherwise a float64 CPU reference (the badge at the top says which). The ✓ checks compare the two
        computations as you change the parameters.
      </p>
    </div>
  );
}
