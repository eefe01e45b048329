// A captured trace as a timeline a diagram can scrub: ordered frames (which tile of which tensor moved
// between storage buffers (HBM) and workgroup memory (SRAM), which compute phase ran, with bytes) and the
// state after any step (what each workgroup holds on chip, bytes moved so far). Pure functions of the
// capture, so a diagram is a pure function of (params, timeline, step): scrubbing back, reduced motion and
// printing need nothing else. It leaves out timing: the GPU records order, not time.

import type { TraceCapture, TraceEvent, TraceKindName } from './events';

/** Where the bytes of a frame went: storage → workgroup memory, back, or straight to/from registers. */
export type Move = 'hbm→sram' | 'sram→hbm' | 'hbm→reg' | 'reg→hbm';

const MOVES: Partial<Record<TraceKindName, Move>> = {
  load: 'hbm→sram',
  store: 'sram→hbm',
  read: 'hbm→reg',
  write: 'reg→hbm',
};

export interface Frame {
  /** Position in the timeline, from 0. */
  step: number;
  workgroup: number;
  /** The workgroup's own sequence number for this event. */
  seq: number;
  kind: TraceKindName;
  move: Move | null;
  /** The tensor moved ('' for compute phases and scan levels). */
  tensor: string;
  /** Tile region: first element and element count, in the kernel's own indexing of the tensor. */
  offset: number;
  count: number;
  bytes: number;
  aux: number;
  /** For compute and chunkPhase frames, the phase's name where the kernel's table names it. */
  phase: string | null;
}

export interface Traffic {
  /** Bytes storage → workgroup memory. */
  load: number;
  /** Bytes workgroup memory → storage. */
  store: number;
  /** Bytes storage → registers. */
  read: number;
  /** Bytes registers → storage. */
  write: number;
}

export interface Timeline {
  frames: readonly Frame[];
  /** The workgroups that recorded anything, ascending. */
  workgroups: readonly number[];
  /** Bytes per tensor over the whole capture. */
  totals: Readonly<Record<string, Traffic>>;
  /** False when the trace buffer overflowed: frames and totals are then a prefix of what ran. */
  complete: boolean;
}

export interface TimelineOptions {
  /**
   * 'workgroup' (default): each workgroup's frames in its own order, one workgroup after another.
   * 'lockstep': every workgroup's first frame, then every second frame, …: how the GPU overlaps them.
   */
  order?: 'workgroup' | 'lockstep';
  /** Only these workgroups (e.g. the one a diagram follows). */
  workgroups?: readonly number[];
}

export const noTraffic = (): Traffic => ({ load: 0, store: 0, read: 0, write: 0 });

function addTraffic(into: Record<string, Traffic>, f: Frame): void {
  if (f.move === null || f.tensor === '') return;
  const t = into[f.tensor] ?? noTraffic();
  into[f.tensor] = t;
  t[f.kind as keyof Traffic] += f.bytes;
}

export function timeline(capture: TraceCapture, opts: TimelineOptions = {}): Timeline {
  const only = opts.workgroups ? new Set(opts.workgroups) : null;
  const events = capture.events.filter((e) => !only || only.has(e.workgroup));
  const byOrder =
    opts.order === 'lockstep'
      ? (a: TraceEvent, b: TraceEvent) => a.seq - b.seq || a.workgroup - b.workgroup
      : (a: TraceEvent, b: TraceEvent) => a.workgroup - b.workgroup || a.seq - b.seq;
  const sorted = [...events].sort(byOrder);
  const totals: Record<string, Traffic> = {};
  const frames = sorted.map((e, step): Frame => {
    const move = MOVES[e.kind] ?? null;
    const phased = e.kind === 'compute' || e.kind === 'chunkPhase';
    const f: Frame = {
      step,
      workgroup: e.workgroup,
      seq: e.seq,
      kind: e.kind,
      move,
      tensor: e.tensor,
      offset: e.offset,
      count: e.count,
      bytes: e.bytes,
      aux: e.aux,
      phase: phased ? (capture.phases?.[e.aux] ?? null) : null,
    };
    addTraffic(totals, f);
    return f;
  });
  const workgroups = [...new Set(sorted.map((e) => e.workgroup))].sort((a, b) => a - b);
  return { frames, workgroups, totals, complete: capture.dropped === 0 };
}

/** A tile held in workgroup memory: the region of `tensor` last loaded there by that workgroup. */
export interface Tile {
  tensor: string;
  offset: number;
  count: number;
  /** The step that loaded it. */
  since: number;
}

export interface TimelineState {
  /** Frames applied: 0 is before anything ran, frames.length is the end. */
  step: number;
  /** The frame applied last (null at step 0). */
  frame: Frame | null;
  /** Per workgroup, per tensor: the tile in workgroup memory. */
  resident: ReadonlyMap<number, Readonly<Record<string, Tile>>>;
  /** Per workgroup: the phase it is in (the last compute or chunkPhase frame), or null. */
  phase: ReadonlyMap<number, string | null>;
  /** Bytes per tensor so far. */
  bytes: Readonly<Record<string, Traffic>>;
}

/** The state after the first `step` frames (clamped to 0..frames.length). */
export function stateAt(t: Timeline, step: number): TimelineState {
  const n = Math.max(0, Math.min(t.frames.length, Math.floor(step)));
  const resident = new Map<number, Record<string, Tile>>();
  const phase = new Map<number, string | null>();
  const bytes: Record<string, Traffic> = {};
  for (let i = 0; i < n; i++) {
    const f = t.frames[i];
    addTraffic(bytes, f);
    if (f.move === 'hbm→sram') {
      const held = resident.get(f.workgroup) ?? {};
      held[f.tensor] = { tensor: f.tensor, offset: f.offset, count: f.count, since: f.step };
      resident.set(f.workgroup, held);
    } else if (f.kind === 'compute' || f.kind === 'chunkPhase') {
      phase.set(f.workgroup, f.phase ?? `phase ${f.aux}`);
    }
  }
  return { step: n, frame: n > 0 ? t.frames[n - 1] : null, resident, phase, bytes };
}

/** Sum of a tensor's traffic (every direction), or of every tensor when none is named. */
export function totalBytes(traffic: Readonly<Record<string, Traffic>>, tensor?: string): number {
  const sum = (x: Traffic) => x.load + x.store + x.read + x.write;
  if (tensor !== undefined) return traffic[tensor] ? sum(traffic[tensor]) : 0;
  return Object.values(traffic).reduce((s, x) => s + sum(x), 0);
}
