// Section 1: the continuous system in KaTeX beside its data-flow diagram, with the four steps in words.

import { Tex } from '../../components/Tex';
import { DataFlowDiagram } from './DataFlowDiagram';
import { ssmTex } from './tex';

export function ContinuousSection() {
  return (
    <section className="section" aria-labelledby="sec-continuous">
      <h3 id="sec-continuous">1. The continuous system</h3>
      <div className="split">
        <div>
          <Tex tex={ssmTex.continuous} display />
          <Tex tex={ssmTex.shapes} display />
          <ol className="steps">
            <li>
              <b>B</b> acts on the input: <Tex tex="B\,x(t)" /> writes the input into the state.
            </li>
            <li>
              <b>A</b> acts on the state: <Tex tex="A\,h(t)" /> mixes and decays what the state holds.
            </li>
            <li>
              <b>C</b> reads the state out: <Tex tex="C\,h(t)" /> is one number.
            </li>
            <li>
              <b>D</b> skips: <Tex tex="D\,x(t)" /> goes straight to the output.
            </li>
          </ol>
        </div>
        <DataFlowDiagram />
      </div>
    </section>
  );
}
