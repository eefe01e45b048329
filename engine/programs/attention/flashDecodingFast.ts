// flashDecodingFast: Flash-Decoding for speed (f32), beside the teaching flashDecoding the stages trace. Same
// params, inputs, outputs (O, lse and the splits' partials m, l, O) and reference. One workgroup per (batch,
// KV head, query row, split) serves the G = h / h_k query heads of its KV head, so K and V are read once;
// a few lanes own a key (lpk of them, each a part of the dot products from 16-byte loads, added by
// shuffles) rather than a whole subgroup reducing per key; the split's max and sum are per-tile reductions
// (subgroups where the adapter has one subgroup size, workgroup memory otherwise); V is read in whole rows
// per subgroup (the 'tiles' split kernel); or each subgroup walks its own keys with its own softmax, merged
// once at the end ('warps', flashDecodingWarps.wgsl; the plan is flashDecodingFastPlan.ts). The combine
// reads only the partials, once, with 16-byte loads. Not traced. d must be 4·2^k
// (4 … 4·wg), G at most 8. Any sq (the causal mask bottom-right aligned).
// The scratch and output buffers are written from the host before the run (zeros), so Dawn does not clear
// them lazily inside the timed passes, as it does a buffer whose first use is a dispatch.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import type { Dispatch, Kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { splitLength } from '../../reference/attentionSplit';
import { traceBuffer } from '../../trace/events';
import type { Program, RunOptions, RunResult } from '../program';
import {
  type AttentionInputs,
  type AttentionParams,
  attentionKernel,
  attentionSizes,
  attentionUniformValues,
  checkDispatch,
  runAttention,
  validateAttention,
} from './common';
import {
  type FlashDecodingBuffers,
  type FlashDecodingOutputs,
  type FlashDecodingParams,
  flashDecodingProgram,
} from './flashDecoding';
import {
  type DecodingFastPlan,
  decodingFastPlanFor,
  type FlashDecodingFastParams,
} from './flashDecodingFastPlan';

const LABEL = 'flashDecodingFast';

/** The combine kernel's invocations and the splits each step of one invocation loads at once. */
const CWG = 256;
const CU = 4;

const prelude = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([name, n]) => `const ${name}: u32 = ${n}u;\n`)
    .join('');

/** The split and combine kernels for head dim d and a plan. */
export function flashDecodingFastKernels(gpu: Gpu, d: number, plan: DecodingFastPlan) {
  const d4 = d / 4;
  const nsl = plan.wg / d4;
  const finish = `flashDecodingFast${plan.fuse ? 'Fuse' : 'Apart'}.wgsl`;
  const early = `const EARLY_V: bool = ${plan.earlyV};\n`;
  const base = { WG: plan.wg, D: d, D4: d4, G: plan.g, LPK: plan.lpk, CPL: d4 / plan.lpk, NSL: nsl };
  let split: Promise<Kernel>;
  if (plan.warps && plan.sg) {
    const sg = plan.sg;
    const nc = Math.min(sg, d4);
    const nw = plan.wg / sg;
    const kg = sg / plan.lpk;
    const c = { ...base, SG: sg, NW: nw, KG: kg, KPL: plan.kpt, KS: kg * plan.kpt, NC: nc, KHL: sg / nc };
    split = attentionKernel(
      gpu,
      `${LABEL}.splitWarps${plan.fuse ? 'Fused' : ''}`,
      ['flashDecodingFastBindings.wgsl', 'flashDecodingWarps.wgsl', finish],
      {
        prelude:
          early +
          prelude({
            ...c,
            CPV: d4 / nc,
            PVK: (kg * plan.kpt * nc) / sg,
            SCR: plan.scr,
          }),
        enable: ['subgroups'],
      },
    );
  } else {
    const tiles = { ...base, KPT: plan.kpt, TK: plan.tk, PVN: (plan.tk * d4) / plan.wg, SCR: plan.scr };
    const form = plan.sg ? 'Sg' : 'Shared';
    split = attentionKernel(
      gpu,
      `${LABEL}.split${form}${plan.fuse ? 'Fused' : ''}`,
      ['flashDecodingFastBindings.wgsl', 'flashDecodingFast.wgsl', `flashDecodingFast${form}.wgsl`, finish],
      {
        prelude:
          early +
          `const K_AHEAD: bool = ${plan.kAhead};\n` +
          prelude(plan.sg ? { ...tiles, SG: plan.sg } : tiles),
        enable: plan.sg ? ['subgroups'] : [],
      },
    );
  }
  return Promise.all([
    split,
    attentionKernel(gpu, `${LABEL}.combine`, ['flashDecodingFastCombine.wgsl'], {
      prelude: prelude({ WG: CWG, D4: d4, NSL: CWG / d4, U: CU }),
    }),
  ]);
}

function checkSplits(p: FlashDecodingParams): void {
  if (!Number.isInteger(p.splits) || p.splits < 1 || p.splits > p.sk) {
    throw new EngineError(LABEL, `splits must be an integer in [1, sk=${p.sk}], got ${p.splits}`);
  }
}

/**
 * Split (a workgroup per split, query row and KV head) then combine (a workgroup per query row and head);
 * with `fuse`, the split pass alone, its last workgroup per (KV head, query row) doing the combine.
 */
export async function flashDecodingFastDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: FlashDecodingFastParams,
  b: FlashDecodingBuffers,
): Promise<Dispatch[]> {
  checkSplits(p);
  const plan = decodingFastPlanFor(gpu, p);
  const parts = p.b * p.h * p.sq * p.splits;
  const scale = checkDispatch(LABEL, p, { ...b, ml: [b.ml, parts * 2], oPart: [b.oPart, parts * p.d] });
  const [split, combine] = await flashDecodingFastKernels(gpu, p.d, plan);
  const splitGrid = gridFor(gpu, `${LABEL}.split`, p.b * p.hk * p.sq * p.splits);
  const combineGrid = gridFor(gpu, `${LABEL}.combine`, p.b * p.h * p.sq);
  const fields = { splits: p.splits, splitLen: splitLength(p.sk, p.splits) };
  const u = (k: typeof split, count: number) =>
    uniformFor(scope, k, attentionUniformValues(p, scale, { ...fields, count })).buffer;
  if (plan.fuse) {
    // One counter per (batch, KV head, query row), zero before the run; the last split sets it back.
    const arrive = scope.zeroed('arrive', 4 * p.b * p.hk * p.sq);
    const bindings = { p: u(split, splitGrid.count), q: b.q, k: b.k, v: b.v, ml: b.ml, oPart: b.oPart };
    return [
      {
        kernel: split,
        bindings: { ...bindings, o: b.o, lse: b.lse, arrive },
        workgroups: splitGrid.workgroups,
      },
    ];
  }
  return [
    {
      kernel: split,
      bindings: { p: u(split, splitGrid.count), q: b.q, k: b.k, v: b.v, ml: b.ml, oPart: b.oPart },
      workgroups: splitGrid.workgroups,
    },
    {
      kernel: combine,
      bindings: { p: u(combine, combineGrid.count), ml: b.ml, oPart: b.oPart, o: b.o, lse: b.lse },
      workgroups: combineGrid.workgroups,
    },
  ];
}

export async function flashDecodingFastGpu(
  gpu: Gpu,
  p: FlashDecodingFastParams,
  x: AttentionInputs,
  opts: RunOptions = {},
): Promise<
  RunResult<FlashDecodingOutputs> & {
    wg: number;
    kpt: number;
    lpk: number;
    earlyV: number;
    kAhead: number;
    fuse: number;
    subgroups: number;
    warps: number;
  }
> {
  validateAttention(LABEL, p, x);
  checkSplits(p);
  if (opts.trace) throw new EngineError(LABEL, 'the fast kernel is not traced (flashDecoding is)');
  const plan = decodingFastPlanFor(gpu, p);
  const n = attentionSizes(p);
  const parts = p.b * p.h * p.sq * p.splits;
  const run = await runAttention(gpu, LABEL, opts, async (scope) => {
    // Written from the host (zeros), so already initialised when the timed passes first use them.
    const zeros = (name: string, count: number) => scope.upload(name, new Float32Array(count));
    const b: FlashDecodingBuffers = {
      q: scope.upload('q', x.q),
      k: scope.upload('k', x.k),
      v: scope.upload('v', x.v),
      o: zeros('out', n.o),
      lse: zeros('lse', n.lse),
      trace: traceBuffer(scope, 1),
      ml: zeros('ml', parts * 2),
      oPart: zeros('oPart', parts * p.d),
    };
    return {
      dispatches: await flashDecodingFastDispatch(gpu, scope, p, b),
      read: { out: [b.o, n.o], lse: [b.lse, n.lse], ml: [b.ml, parts * 2], oPart: [b.oPart, parts * p.d] },
      trace: b.trace,
    };
  });
  // Numbers beside the outputs: the benchmark's record lists them as the run's choices.
  const { wg, kpt, lpk } = plan;
  return {
    ...run,
    wg,
    kpt,
    lpk,
    earlyV: plan.earlyV ? 1 : 0,
    kAhead: plan.kAhead ? 1 : 0,
    fuse: plan.fuse ? 1 : 0,
    subgroups: plan.sg ? 1 : 0,
    warps: plan.warps ? 1 : 0,
  };
}

export const flashDecodingFastProgram: Program<
  FlashDecodingFastParams,
  AttentionInputs,
  FlashDecodingOutputs
> = {
  id: LABEL,
  title: 'Flash-Decoding, fast (KV head per workgroup, invocations own keys)',
  makeInputs: flashDecodingProgram.makeInputs,
  reference: flashDecodingProgram.reference,
  run: (gpu, p, x, opts) => flashDecodingFastGpu(gpu, p, x, opts),
  tolerance: flashDecodingProgram.tolerance,
};

/**
 * The shapes for one H200 run at KV length L (48 KiB of workgroup memory, subgroups of 32, 132 SMs), 4 lanes
 * a key (64 contiguous bytes per load of a key), each where it was fastest in run G's probes (BENCHMARKS.md):
 * 256 invocations, 256-key splits of one tile (16 vec4 loads of K, then of V, in flight an invocation),
 * combine a second pass (the engine's default form) and folded with V loaded after the softmax's barriers
 * (512 keys to 2K); the same splits in 64-key tiles, folded (4K); 512-key splits in 128-key tiles, folded
 * (8K, 16K: fewer registers a lane, so more workgroups a core, and half the partials). Beside them the
 * warps kernel at one key a lane group a step (kpt 1: the fewest registers, fastest of run I's probes at
 * every shape), folded: 256 invocations in 256-key splits (4K: 0.0305 ms against the tiles' 0.0386) and 128
 * in 128-key splits. Duplicates (small L) dropped.
 */
export function flashDecodingFastVariants(p: AttentionParams): Array<
  FlashDecodingFastParams & {
    wg: number;
    kpt: number;
    lpk: number;
    earlyV: boolean;
    fuse: boolean;
    kernel: 'tiles' | 'warps';
  }
> {
  const tiles = 'tiles' as const;
  const warps = 'warps' as const;
  const asks = [
    { kernel: tiles, wg: 256, lpk: 4, kpt: 4, earlyV: true, keys: 256, fuse: [false] },
    { kernel: tiles, wg: 256, lpk: 4, kpt: 4, earlyV: false, keys: 256, fuse: [true] },
    { kernel: tiles, wg: 256, lpk: 4, kpt: 1, earlyV: false, keys: 256, fuse: [true] },
    { kernel: tiles, wg: 256, lpk: 4, kpt: 2, earlyV: true, keys: 512, fuse: [true] },
    { kernel: warps, wg: 256, lpk: 4, kpt: 1, earlyV: true, keys: 256, fuse: [true] },
    { kernel: warps, wg: 128, lpk: 4, kpt: 1, earlyV: true, keys: 128, fuse: [true] },
  ];
  const all = asks.flatMap(({ keys, fuse, ...a }) =>
    fuse.map((f) => ({
      ...p,
      ...a,
      fuse: f,
      splits: Math.max(1, Math.min(p.sk, Math.ceil(p.sk / keys))),
    })),
  );
  return all.filter((v, i) => all.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
}
