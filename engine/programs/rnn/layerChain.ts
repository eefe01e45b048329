// The layer chain of the family's sequence programs (Elman RNN, LSTM) on given buffers: per layer the
// input projection P = x W_ihᵀ + b_ih + b_hh for all T steps (rnnInputProj.ts, width gates·hidden), then
// the layer's scan over P, each layer reading the output of the one below. 2·layers dispatches in order,
// one submission; trace ids run on through all of them (projection workgroups, then the b scan ones).

import { EngineError } from '../../gpu/errors';
import type { Dispatch, Kernel } from '../../gpu/kernel';
import { gridFor } from '../../gpu/grid';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { type LayerBuffers, layerIn, type SequenceShape } from './common';
import { inputProjWorkgroups, rnnInputProjDispatch } from './rnnInputProj';

/** A layer's scan kernel and what it takes beyond what every scan takes. */
export interface ScanSpec {
  kernel: Kernel;
  /** Uniform fields beyond T, b, hidden, batchFirst, layer and wgBase (hasH0, …). */
  uniform: Record<string, number>;
  /** Bindings beyond p, P, WhhT and out (h0, hN, trace, …). */
  bindings: Record<string, GPUBuffer>;
}

export interface ChainBuffers {
  x: GPUBuffer; // (T, b, in) or (b, T, in)
  layers: LayerBuffers[]; // W_ihᵀ (in_l, rows), W_hhᵀ (hidden, rows), biases (rows,); rows = gates·hidden
  output: GPUBuffer; // (T, b, hidden) or (b, T, hidden): the top layer's h_t
  trace: GPUBuffer;
}

/**
 * The chain's dispatches. P (T, b, gates·hidden) and the outputs of the layers below the top (two,
 * alternating) are scratch made in `scope`.
 */
export function layerChain(
  label: string,
  scope: BufferScope,
  p: SequenceShape,
  proj: { kernel: Kernel; gates: number },
  buf: ChainBuffers,
  scan: ScanSpec,
): Dispatch[] {
  if (buf.layers.length !== p.layers)
    throw new EngineError(label, `${buf.layers.length} layers of weight buffers, want ${p.layers}`);
  const { T, b, hidden, layers } = p;
  const width = proj.gates * hidden;
  const P = scope.storage('P', T * b * width * 4);
  const mids = [0, 1]
    .slice(0, Math.min(2, layers - 1))
    .map((i) => scope.storage(`mid${i}`, T * b * hidden * 4));
  const scanGrid = gridFor(scope.gpu, scan.kernel.label, b);
  const batchFirst = p.batchFirst ?? false;
  const dispatches: Dispatch[] = [];
  let wgBase = 0;
  let input = buf.x;
  buf.layers.forEach((w, l) => {
    const out = l === layers - 1 ? buf.output : mids[l % 2];
    const dims = { T, b, inSize: layerIn(p, l), width, batchFirst, layer: l, wgBase };
    const projGroups = inputProjWorkgroups(dims);
    const params = uniformFor(scope, scan.kernel, {
      T,
      b,
      hidden,
      batchFirst: batchFirst ? 1 : 0,
      layer: l,
      wgBase: wgBase + projGroups,
      ...scan.uniform,
    });
    dispatches.push(
      rnnInputProjDispatch(proj.kernel, scope, dims, {
        x: input,
        WihT: w.WihT,
        bih: w.bih,
        bhh: w.bhh,
        P,
        trace: buf.trace,
      }),
      {
        kernel: scan.kernel,
        bindings: { p: params.buffer, P, WhhT: w.WhhT, out, ...scan.bindings },
        workgroups: scanGrid.workgroups,
      },
    );
    input = out;
    wgBase += projGroups + b;
  });
  return dispatches;
}
