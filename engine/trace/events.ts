// Trace events: what an instrumented kernel recorded while it ran. The GPU writes fixed-size records
// into a storage buffer (see shaders/common/trace.wgsl); this module allocates that buffer and decodes it.
// Diagrams are pure functions of (params, trace, step), so everything they draw comes from here.

import type { BufferScope } from '../gpu/tensor';
import type { Gpu } from '../gpu/device';
import { readU32 } from '../gpu/tensor';

/** Must match shaders/common/trace.wgsl. */
export const TRACE_HEADER_WORDS = 4;
export const TRACE_EVENT_WORDS = 8;

export const TraceKind = {
  /** storage buffer (HBM) -> workgroup memory (SRAM) */
  load: 1,
  /** workgroup memory (SRAM) -> storage buffer (HBM) */
  store: 2,
  /** a compute phase inside the workgroup (aux: phase id) */
  compute: 3,
  /** one level of a parallel scan (aux: level) */
  scanLevel: 4,
  /** one phase of a chunked algorithm (aux: phase id; offset: chunk index) */
  chunkPhase: 5,
  /** storage buffer read straight into registers */
  read: 6,
  /** registers written straight to a storage buffer */
  write: 7,
} as const;
export type TraceKindName = keyof typeof TraceKind;

/** The tensor id of events that touch no tensor (compute phases): WGSL's generated NO_TENSOR; decoded as ''. */
export const NO_TENSOR = 0xffff;

export interface TraceEvent {
  kind: TraceKindName;
  /** Linear workgroup id (x + y*nx + z*nx*ny). */
  workgroup: number;
  /** Per-workgroup sequence number: the order of events within one workgroup. */
  seq: number;
  /** Name of the tensor touched (from the program's tensor table), or '' for compute events. */
  tensor: string;
  /** First element of the region (tensor-specific meaning, documented by the kernel). */
  offset: number;
  /** Number of elements in the region. */
  count: number;
  bytes: number;
  aux: number;
}

export interface TraceCapture {
  events: TraceEvent[];
  /** Names of the compute phases (what `aux` means in compute and chunkPhase events), when the kernel has them. */
  phases?: readonly string[];
  /** Events the buffer had no room for (the capture is then incomplete; counts are lower bounds). */
  dropped: number;
}

const KIND_NAMES = Object.fromEntries(Object.entries(TraceKind).map(([k, v]) => [v, k])) as Record<
  number,
  TraceKindName
>;

/** Words of a trace buffer with room for `capacity` records (at least one: see traceBuffer). */
export const traceWords = (capacity: number): number =>
  TRACE_HEADER_WORDS + Math.max(1, capacity) * TRACE_EVENT_WORDS;

/** A trace buffer with room for `capacity` events; when tracing is off, a 16-byte placeholder. */
export function traceBuffer(scope: BufferScope, capacity: number): GPUBuffer {
  // At least one record of room even when off: a TraceBuf binding needs a non-empty runtime array.
  const words = traceWords(capacity);
  const header = new Uint32Array(words);
  header[1] = Math.max(0, capacity);
  return scope.upload('trace', header);
}

/** The tensor names a capture is decoded with: a bare list, or a kernel's TraceTable (tensors and phases). */
export type TraceNames = readonly string[] | { tensors: readonly string[]; phases: readonly string[] };

export function decodeTrace(words: Uint32Array, names: TraceNames): TraceCapture {
  const tensors = 'tensors' in names ? names.tensors : (names as readonly string[]);
  const phases = 'phases' in names && names.phases.length > 0 ? names.phases : undefined;
  const count = words[0];
  const capacity = words[1];
  const n = Math.min(count, capacity);
  const events: TraceEvent[] = [];
  for (let i = 0; i < n; i++) {
    const b = TRACE_HEADER_WORDS + i * TRACE_EVENT_WORDS;
    events.push({
      kind: KIND_NAMES[words[b]] ?? 'compute',
      workgroup: words[b + 1],
      seq: words[b + 2],
      tensor: tensors[words[b + 3]] ?? '',
      offset: words[b + 4],
      count: words[b + 5],
      bytes: words[b + 6],
      aux: words[b + 7],
    });
  }
  events.sort((a, b) => a.workgroup - b.workgroup || a.seq - b.seq);
  const capture: TraceCapture = { events, dropped: Math.max(0, count - capacity) };
  if (phases) capture.phases = phases;
  return capture;
}

export async function readTrace(gpu: Gpu, buf: GPUBuffer, names: TraceNames): Promise<TraceCapture> {
  return decodeTrace(await readU32(gpu, buf), names);
}

/** Total bytes moved per (kind, tensor): the numbers the byte-count tests compare with formulas. */
export function bytesBy(capture: TraceCapture): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of capture.events) {
    if (e.bytes === 0) continue;
    const key = `${e.kind}:${e.tensor}`;
    out[key] = (out[key] ?? 0) + e.bytes;
  }
  return out;
}
