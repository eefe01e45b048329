// The six one-token decoders of the `intro` stage on the GPU, composed from the families' dispatch builders
// on buffers that hold only what a generating model keeps: its weights, its state (or KV cache) and the
// current token's inputs. Per token, every model's dispatches go in one submission and every y_t and state
// comes back in one readback. The KV cache grows by one row per token as a freshly sized buffer (the old
// rows copied over, as a concatenating cache does), so the records show the bytes it holds at each t.

import type { Gpu } from '../gpu/device';
import { type Dispatch, type DispatchRecord, runDispatches } from '../gpu/kernel';
import { BufferScope } from '../gpu/tensor';
import { traceBuffer } from '../trace/events';
import { interleave } from '../util/complex';
import { flashDecodingDispatch, defaultSplits } from '../programs/attention/flashDecoding';
import { laStepDispatch } from '../programs/linearAttention/linearAttentionStepper';
import { placeholder } from '../programs/linearAttention/common';
import { selectiveStateUpdateDispatch } from '../programs/mamba/selectiveStateUpdate';
import { cellStepDispatch, readStacked, uploadCellWeights } from '../programs/rnn/common';
import { rnnStepKernel } from '../programs/rnn/rnnStep';
import { diagScanDispatch } from '../programs/s4/diagScan';
import { discretizeDiagDispatch, uploadDiagDisc } from '../programs/s4/discretizeDiag';
import { type IntroInputs, MODELS, type ModelId, W } from './introModels';

/** What a decode step gives per model: y_t (d,), the state held after it, and the records of its dispatches. */
export interface DecodedToken {
  y: Float32Array;
  state: Float32Array;
  records: DispatchRecord[];
}

interface Part {
  /** Writes token t's inputs and returns the dispatches of its step. */
  prepare(t: number): Promise<Dispatch[]>;
  /** After the step's submission: y_t (buffer, floats, stride between the values kept) and the state. */
  reads(t: number): {
    y: GPUBuffer;
    yFloats: number;
    yStride: number;
    state: Array<{ buf: GPUBuffer; n: number }>;
  };
  reset(): void;
}

const LABEL = 'introStage.decode';

export interface GpuDecoders {
  step(t: number): Promise<Record<ModelId, DecodedToken>>;
  reset(): void;
  free(): void;
}

/** The six decoders on the GPU for the stage's inputs; free() releases every buffer they hold. */
export async function gpuDecoders(gpu: Gpu, x: IntroInputs): Promise<GpuDecoders> {
  const scope = new BufferScope(gpu, LABEL);
  const { d, N, N2, heads, P } = W;
  const write = (buf: GPUBuffer, data: ArrayLike<number>, at = 0) =>
    gpu.device.queue.writeBuffer(buf, at, Float32Array.from(data));
  const row = (a: Float32Array, t: number, w: number) => a.subarray(t * w, (t + 1) * w);
  const zero = (buf: GPUBuffer, floats: number) => write(buf, new Float32Array(floats));
  try {
    // RNN: h ping-pongs between two buffers; step t reads h[t % 2] and writes the other.
    const rnnK = await rnnStepKernel(gpu, 'tanh');
    const w = uploadCellWeights(scope, [x.rnn])[0];
    const rx = scope.storage('rnn.x', d * 4);
    const hs = [scope.storage('rnn.h0', d * 4), scope.storage('rnn.h1', d * 4)];
    const dims = { b: 1, inSize: d, hidden: d, xOff: 0, xStride: d };
    const rnnPlans = [0, 1].map((c) =>
      cellStepDispatch(rnnK, scope, dims, { ...w, x: rx, h: hs[c], hOut: hs[1 - c] }),
    );
    const rnn: Part = {
      async prepare(t) {
        write(rx, row(x.x, t, d));
        return [rnnPlans[t % 2]];
      },
      reads: (t) => ({ y: hs[1 - (t % 2)], yFloats: d, yStride: 1, state: [{ buf: hs[1 - (t % 2)], n: d }] }),
      reset: () => zero(hs[0], d),
    };

    // Attention: the KV cache of t + 1 rows in buffers of exactly that size, remade every token.
    const aq = scope.storage('attention.q', d * 4);
    let cache: { scope: BufferScope; k: GPUBuffer; v: GPUBuffer; o: GPUBuffer } | null = null;
    let previous: BufferScope | null = null;
    const attention: Part = {
      async prepare(t) {
        const sk = t + 1;
        const s = new BufferScope(gpu, `${LABEL}.kv${t}`);
        const k = s.storage('k', sk * d * 4);
        const v = s.storage('v', sk * d * 4);
        if (cache && t > 0) {
          const enc = gpu.device.createCommandEncoder({ label: `${LABEL}.kvCopy` });
          enc.copyBufferToBuffer(cache.k, 0, k, 0, t * d * 4);
          enc.copyBufferToBuffer(cache.v, 0, v, 0, t * d * 4);
          gpu.device.queue.submit([enc.finish()]);
        }
        write(k, row(x.k, t, d), t * d * 4);
        write(v, row(x.v, t, d), t * d * 4);
        write(aq, row(x.q, t, d));
        const splits = defaultSplits(sk);
        const o = s.storage('o', d * 4);
        const b = {
          q: aq,
          k,
          v,
          o,
          lse: s.storage('lse', 4),
          trace: traceBuffer(s, 0),
          ml: s.storage('ml', splits * 2 * 4),
          oPart: s.storage('oPart', splits * d * 4),
        };
        const p = { b: 1, sq: 1, sk, h: 1, hk: 1, d, causal: false, splits };
        previous = cache?.scope ?? null;
        cache = { scope: s, k, v, o };
        return flashDecodingDispatch(gpu, s, p, b);
      },
      reads(t) {
        if (!cache) throw new Error('no KV cache before the first token');
        const n = (t + 1) * d;
        return {
          y: cache.o,
          yFloats: d,
          yStride: 1,
          state: [
            { buf: cache.k, n },
            { buf: cache.v, n },
          ],
        };
      },
      reset() {
        cache?.scope.release();
        cache = null;
      },
    };

    // Linear attention: S (d, d) updated in place, o_t written each step.
    const lq = scope.storage('linear.q', d * 4);
    const lk = scope.storage('linear.k', d * 4);
    const lv = scope.storage('linear.v', d * 4);
    const S = scope.storage('linear.S', d * d * 4);
    const lo = scope.storage('linear.o', d * 4);
    const plan = { B: 1, T: 1, H: 1, K: d, V: d, scale: 1 / Math.sqrt(d), gate: 0 as const, t: 0 };
    const laStep = await laStepDispatch(gpu, scope, plan, {
      q: lq,
      k: lk,
      v: lv,
      gate: placeholder(scope, 'gate'),
      S,
      o: lo,
    });
    const linear: Part = {
      async prepare(t) {
        write(lq, row(x.q, t, d));
        write(lk, row(x.k, t, d));
        write(lv, row(x.v, t, d));
        return [laStep];
      },
      reads: () => ({ y: lo, yFloats: d, yStride: 1, state: [{ buf: S, n: d * d }] }),
      reset: () => zero(S, d * d),
    };

    // S4D: Ā, B̄ discretized once (zoh); the state x (H, N2) complex stays in its buffer (x0 in, x out).
    const disc = await discretizeDiagDispatch(
      gpu,
      scope,
      { count: d * N2, perDt: N2, disc: 'zoh' },
      uploadDiagDisc(scope, x.s4.A, x.s4.B, x.s4.dt),
    );
    await runDispatches(gpu, `${LABEL}.s4Discretize`, [disc.dispatch]);
    const su = scope.storage('s4.u', d * 4);
    const sx = scope.storage('s4.x', d * N2 * 8);
    const scan = await diagScanDispatch(
      gpu,
      scope,
      { H: d, N2, L: 1, rows: d, scale: 2, hasX0: true },
      { Abar: disc.Abar, Bbar: disc.Bbar, C: scope.upload('s4.C', interleave(x.s4.C)), u: su, x: sx },
    );
    const s4: Part = {
      async prepare(t) {
        write(su, row(x.x, t, d));
        return [scan.dispatch];
      },
      reads: () => ({ y: scan.y, yFloats: 2 * d, yStride: 2, state: [{ buf: sx, n: 2 * d * N2 }] }),
      reset: () => zero(sx, 2 * d * N2),
    };

    // Mamba (H = 1, P = D) and Mamba-2 (H heads of P): selective state update, state ping-pong.
    const update = async (
      name: string,
      H: number,
      Pp: number,
      a: Float32Array,
      bias: Float32Array,
      dtOf: (t: number) => Float32Array,
      src: { B: Float32Array; C: Float32Array },
    ): Promise<Part> => {
      const hp = H * Pp;
      const chan = new Float32Array(hp * N + 2 * hp);
      chan.set(a, 0);
      chan.set(bias, hp * N + hp);
      const states = [
        scope.storage(`${name}.state0`, hp * N * 4),
        scope.storage(`${name}.state1`, hp * N * 4),
      ];
      const rowIn = scope.storage(`${name}.rowIn`, 3 * hp * 4);
      const bc = scope.storage(`${name}.bc`, 2 * N * 4);
      const out = scope.storage(`${name}.out`, hp * 4);
      const cb = scope.upload(`${name}.chan`, chan);
      const p = { batch: 1, H, P: Pp, N, G: 1, dtSoftplus: true };
      const plans = await Promise.all(
        [0, 1].map((c) =>
          selectiveStateUpdateDispatch(gpu, scope, p, {
            state: states[c],
            rowIn,
            chan: cb,
            bc,
            z: false,
            out,
            newState: states[1 - c],
          }),
        ),
      );
      return {
        async prepare(t) {
          write(rowIn, [...row(x.x, t, d), ...dtOf(t)]);
          write(bc, [...row(src.B, t, N), ...row(src.C, t, N)]);
          return [plans[t % 2]];
        },
        reads: (t) => ({ y: out, yFloats: hp, yStride: 1, state: [{ buf: states[1 - (t % 2)], n: hp * N }] }),
        reset: () => zero(states[0], hp * N),
      };
    };
    const mamba = await update(
      'mamba',
      1,
      d,
      x.mamba.A,
      x.mamba.bias,
      (t) => row(x.mamba.delta, t, d),
      x.mamba,
    );
    const per = (a: Float32Array, each: number) =>
      Float32Array.from({ length: a.length * each }, (_, i) => a[Math.floor(i / each)]);
    const mamba2 = await update(
      'mamba2',
      heads,
      P,
      per(x.mamba2.A, P * N),
      per(x.mamba2.bias, P),
      (t) => per(row(x.mamba2.dt, t, heads), P),
      x.mamba2,
    );

    const parts: Record<ModelId, Part> = { rnn, attention, linear, s4, mamba, mamba2 };
    return {
      async step(t) {
        const plans: Dispatch[][] = [];
        for (const m of MODELS) plans.push(await parts[m].prepare(t));
        const run = await runDispatches(gpu, LABEL, plans.flat());
        previous?.release();
        previous = null;
        const reads = MODELS.map((m) => parts[m].reads(t));
        const all = await readStacked(
          gpu,
          LABEL,
          reads.flatMap((r) => [{ buf: r.y, n: r.yFloats }, ...r.state]),
        );
        const out = {} as Record<ModelId, DecodedToken>;
        let at = 0;
        let rec = 0;
        MODELS.forEach((m, i) => {
          const r = reads[i];
          const y = all.subarray(at, at + r.yFloats).filter((_, j) => j % r.yStride === 0);
          at += r.yFloats;
          const n = r.state.reduce((s, q) => s + q.n, 0);
          out[m] = {
            y,
            state: all.slice(at, at + n),
            records: run.dispatches.slice(rec, rec + plans[i].length),
          };
          at += n;
          rec += plans[i].length;
        });
        return out;
      },
      reset() {
        for (const m of MODELS) parts[m].reset();
      },
      free() {
        attention.reset();
        scope.release();
      },
    };
  } catch (err) {
    scope.release();
    throw err;
  }
}
