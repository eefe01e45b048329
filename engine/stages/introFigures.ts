// The `intro` table's figures, measured from what ran: the training form's dispatches in order and the
// steps a state takes along the sequence (counted in its trace), and per generated token the bytes its
// kernels bound for the model's weights, state (or KV cache) and token inputs, and the bytes of the state
// alone. Beside each measurement, its closed form at the stage's widths: the CPU backend shows these, and
// engine/stages/intro.test.ts checks each against the records of GPU runs.

import type { DispatchRecord } from '../gpu/kernel';
import type { TraceCapture } from '../trace/events';
import { LA_TRACE } from '../programs/linearAttention/common';
import { SSD_TRACE } from '../programs/ssd/common';
import { type ModelId, W } from './introModels';

/** The programs each row runs: its training form (all L positions at once) and its one-token decoder. */
export const PROGRAMS: Readonly<Record<ModelId, { train: readonly string[]; decode: readonly string[] }>> = {
  rnn: { train: ['elmanRnn'], decode: ['rnnStep'] },
  attention: { train: ['flashAttention'], decode: ['flashDecoding'] },
  linear: { train: ['linearAttentionChunked'], decode: ['linearAttentionStepper'] },
  s4: { train: ['s4dKernel', 'fftConv'], decode: ['diagScan'] },
  mamba: { train: ['selectiveScanChunked'], decode: ['selectiveStateUpdate'] },
  mamba2: { train: ['mamba2Combined'], decode: ['selectiveStateUpdate'] },
};

/** The bindings (WGSL names) a decode step reads for the model: weights, carried state, token inputs. */
const TOKEN_READS: Readonly<Record<ModelId, readonly string[]>> = {
  rnn: ['x', 'h', 'Wih', 'Whh', 'bih', 'bhh'],
  attention: ['q', 'k', 'v'],
  linear: ['q', 'k', 'v', 'S'],
  s4: ['Abar', 'Bbar', 'C', 'u', 'x'],
  mamba: ['state', 'rowIn', 'chan', 'bc'],
  mamba2: ['state', 'rowIn', 'chan', 'bc'],
};

/** The bindings that hold what the model carries from one token to the next (the KV cache for attention). */
export const STATE_NAMES: Readonly<Record<ModelId, readonly string[]>> = {
  rnn: ['h'],
  attention: ['k', 'v'],
  linear: ['S'],
  s4: ['x'],
  mamba: ['state'],
  mamba2: ['state'],
};

/** Bytes of the buffers bound under `names` in these records, each name counted once. */
export function boundBytes(records: readonly DispatchRecord[], names: readonly string[]): number {
  const seen = new Map<string, number>();
  for (const r of records)
    for (const b of r.bindings) if (names.includes(b.name) && !seen.has(b.name)) seen.set(b.name, b.bytes);
  return [...seen.values()].reduce((s, v) => s + v, 0);
}

/** A decode step's two byte figures from its records: what the token read, and the state among it. */
export function measureToken(m: ModelId, records: readonly DispatchRecord[]) {
  return { tokenBytes: boundBytes(records, TOKEN_READS[m]), stateBytes: boundBytes(records, STATE_NAMES[m]) };
}

/** The most events one workgroup of the capture recorded that match `hit`. */
function perWorkgroupMax(trace: TraceCapture | null, hit: (e: TraceCapture['events'][number]) => boolean) {
  const count = new Map<number, number>();
  for (const e of trace?.events ?? []) if (hit(e)) count.set(e.workgroup, (count.get(e.workgroup) ?? 0) + 1);
  return Math.max(0, ...count.values());
}

/**
 * Steps a state takes along the sequence in the training form, from its trace: the RNN's W_hh steps (one
 * per position), the chunk steps of linear attention's state scan and of Mamba-2's state passing, and the
 * chunks of Mamba's scan whose aggregates the carry pass walks in order. Attention and S4's convolution
 * carry no state along the sequence: 0.
 */
export function seqSteps(m: ModelId, trace: TraceCapture | null): number {
  if (m === 'rnn') return perWorkgroupMax(trace, (e) => e.kind === 'read' && e.tensor === 'WhhT');
  if (m === 'linear') {
    const phase = LA_TRACE.phases.indexOf('stateScan');
    return perWorkgroupMax(trace, (e) => e.kind === 'chunkPhase' && e.aux === phase);
  }
  if (m === 'mamba2') {
    const phase = SSD_TRACE.phases.indexOf('passed state');
    return perWorkgroupMax(trace, (e) => e.kind === 'chunkPhase' && e.aux === phase);
  }
  if (m === 'mamba') {
    // One aggregate written per (chunk, channel) workgroup: the chunks of one channel's sequence.
    const wgs = new Set(
      (trace?.events ?? []).filter((e) => e.kind === 'write' && e.tensor === 'carry').map((e) => e.workgroup),
    );
    return wgs.size / W.d;
  }
  return 0;
}

const chunks = (L: number) => Math.ceil(L / W.chunk);
const log2n = (L: number) => Math.log2(2 ** Math.ceil(Math.log2(2 * L)));

/** The training form's dispatches in order and state steps along the sequence, in closed form. */
export function trainFormula(m: ModelId, L: number): { dispatches: number; seqSteps: number } {
  switch (m) {
    case 'rnn':
      return { dispatches: 2, seqSteps: L };
    case 'attention':
      return { dispatches: 1, seqSteps: 0 };
    case 'linear':
      return { dispatches: 3, seqSteps: chunks(L) };
    case 's4':
      // Vandermonde prep and product; FFT pack, log2 n forward passes, product, log2 n inverse, unpack.
      return { dispatches: 5 + 2 * log2n(L), seqSteps: 0 };
    case 'mamba':
      return { dispatches: 3, seqSteps: chunks(L) };
    case 'mamba2':
      return { dispatches: 6, seqSteps: chunks(L) };
  }
}

/** Dispatches of one decode step. */
export const DECODE_DISPATCHES: Readonly<Record<ModelId, number>> = {
  rnn: 1,
  attention: 2,
  linear: 1,
  s4: 1,
  mamba: 1,
  mamba2: 1,
};

/** Token t's (0-based) bound bytes in closed form: what it read, and the state (or cache) among it. */
export function tokenFormula(m: ModelId, t: number): { tokenBytes: number; stateBytes: number } {
  const { d, N, N2 } = W;
  const f = (token: number, state: number) => ({ tokenBytes: 4 * token, stateBytes: 4 * state });
  switch (m) {
    case 'rnn':
      return f(2 * d * d + 4 * d, d); // W_ih, W_hh, b_ih, b_hh, x_t, h
    case 'attention':
      return f(d + 2 * (t + 1) * d, 2 * (t + 1) * d); // q_t; K, V of t + 1 positions
    case 'linear':
      return f(3 * d + d * d, d * d); // q_t, k_t, v_t; S
    case 's4':
      return f(8 * d * N2 + d, 2 * d * N2); // Ā, B̄, C, x complex; u_t
    case 'mamba':
    case 'mamba2':
      // chan A | D | dt bias, state, rowIn x | Δ | z, bc B_t | C_t (d channels in all, G = 1).
      return f(2 * d * N + 5 * d + 2 * N, d * N);
  }
}
