// The "What the GPU did" panel as data: the dispatches in run order (consecutive repeats of one dispatch
// folded into one row), the bytes each bound by access, the run's totals, and, from a trace timeline, the
// HBM ↔ SRAM traffic at a step with its SVG layout. Pure: numbers in, numbers out; wording and number
// formatting belong to the component.

import type { BoundBuffer, DispatchRecord, Timeline, Traffic } from '../../engine';
import { stateAt } from '../../engine';
import type { StageRan } from '../stages/types';
import { variantKey } from './kernelSource';

export type { StageRan };

/** Bytes of the buffers bound, by how the kernel may use them (sizes bound, not bytes moved). */
export interface BoundBytes {
  uniform: number;
  read: number;
  readWrite: number;
}

export interface DispatchRow {
  /** 0-based position of the first dispatch of the row. */
  first: number;
  /** Consecutive identical dispatches folded into this row. */
  count: number;
  label: string;
  entryPoint: string;
  workgroups: [number, number, number];
  /** Per dispatch: workgroups.x · y · z. */
  workgroupCount: number;
  /** From the kernel's @workgroup_size, where known. */
  workgroupSize: [number, number, number] | null;
  /** Per dispatch, where the workgroup size is known. */
  invocations: number | null;
  constants: Array<[string, number]>;
  /** Per dispatch. */
  bound: BoundBytes;
  buffers: readonly BoundBuffer[];
  /** The kernel variant (kernelSource.variantKey), to look up its code or workgroup size. */
  variant: string;
}

export interface DispatchTotals {
  dispatches: number;
  workgroups: number;
  /** Null when some row's workgroup size is unknown. */
  invocations: number | null;
  /** Summed over every dispatch (a buffer bound twice counts twice). */
  bound: BoundBytes;
  /** Distinct buffers by label, each counted once: what the run held in storage. */
  buffers: number;
  bufferBytes: number;
}

export function boundBytes(buffers: readonly BoundBuffer[]): BoundBytes {
  const out: BoundBytes = { uniform: 0, read: 0, readWrite: 0 };
  for (const b of buffers) {
    if (b.access === 'uniform') out.uniform += b.bytes;
    else if (b.access === 'read') out.read += b.bytes;
    else out.readWrite += b.bytes;
  }
  return out;
}

const sameDispatch = (a: DispatchRecord, b: DispatchRecord) =>
  variantKey(a) === variantKey(b) &&
  a.label === b.label &&
  a.workgroups.join() === b.workgroups.join() &&
  a.bindings.map((x) => `${x.binding}:${x.bytes}:${x.access}`).join() ===
    b.bindings.map((x) => `${x.binding}:${x.bytes}:${x.access}`).join();

/**
 * One row per run of consecutive dispatches that differ at most in which buffers of the same sizes they
 * bind (an FFT's passes ping-ponging between two buffers). `sizes` maps a variant key to its workgroup size.
 */
export function dispatchRows(
  dispatches: readonly DispatchRecord[],
  sizes: ReadonlyMap<string, [number, number, number] | null> = new Map(),
): DispatchRow[] {
  const rows: DispatchRow[] = [];
  dispatches.forEach((d, i) => {
    const last = rows[rows.length - 1];
    if (last && sameDispatch(dispatches[last.first], d)) {
      last.count++;
      return;
    }
    const variant = variantKey(d);
    const workgroupSize = sizes.get(variant) ?? null;
    const workgroupCount = d.workgroups[0] * d.workgroups[1] * d.workgroups[2];
    rows.push({
      first: i,
      count: 1,
      label: d.label,
      entryPoint: d.entryPoint,
      workgroups: [...d.workgroups],
      workgroupCount,
      workgroupSize,
      invocations: workgroupSize
        ? workgroupCount * workgroupSize[0] * workgroupSize[1] * workgroupSize[2]
        : null,
      constants: Object.entries(d.constants),
      bound: boundBytes(d.bindings),
      buffers: d.bindings,
      variant,
    });
  });
  return rows;
}

export function dispatchTotals(dispatches: readonly DispatchRecord[], rows: readonly DispatchRow[]) {
  const bound: BoundBytes = { uniform: 0, read: 0, readWrite: 0 };
  let workgroups = 0;
  let invocations: number | null = 0;
  for (const r of rows) {
    bound.uniform += r.bound.uniform * r.count;
    bound.read += r.bound.read * r.count;
    bound.readWrite += r.bound.readWrite * r.count;
    workgroups += r.workgroupCount * r.count;
    invocations =
      invocations === null || r.invocations === null ? null : invocations + r.invocations * r.count;
  }
  const distinct = new Map<string, number>();
  for (const d of dispatches) for (const b of d.bindings) distinct.set(b.label, b.bytes);
  const totals: DispatchTotals = {
    dispatches: dispatches.length,
    workgroups,
    invocations,
    bound,
    buffers: distinct.size,
    bufferBytes: [...distinct.values()].reduce((s, n) => s + n, 0),
  };
  return totals;
}

const addInto = (into: Traffic, t: Traffic) => {
  into.load += t.load;
  into.store += t.store;
  into.read += t.read;
  into.write += t.write;
};
const zero = (): Traffic => ({ load: 0, store: 0, read: 0, write: 0 });

export interface TensorTraffic {
  tensor: string;
  sofar: Traffic;
  total: Traffic;
}

export interface ResidentTile {
  workgroup: number;
  tensor: string;
  offset: number;
  count: number;
  /** The frame that loaded it (0-based). */
  since: number;
}

export interface TrafficModel {
  /** Frames applied (0..frames). */
  step: number;
  frames: number;
  complete: boolean;
  sofar: Traffic;
  total: Traffic;
  tensors: TensorTraffic[];
  /** Every workgroup that recorded anything, with the tiles it holds at `step` and its phase. */
  workgroups: Array<{ workgroup: number; tiles: ResidentTile[]; phase: string | null }>;
  /** What the last applied frame did, or null at step 0. */
  last: { workgroup: number; kind: string; tensor: string; bytes: number; phase: string | null } | null;
}

/** The traffic after `step` frames of the timeline (clamped; the end when step is omitted). */
export function trafficAt(t: Timeline, step?: number): TrafficModel {
  const s = stateAt(t, step ?? t.frames.length);
  const sofar = zero();
  const total = zero();
  const tensors = Object.keys(t.totals).map((tensor) => {
    const row = { tensor, sofar: { ...(s.bytes[tensor] ?? zero()) }, total: { ...t.totals[tensor] } };
    addInto(sofar, row.sofar);
    addInto(total, row.total);
    return row;
  });
  const workgroups = t.workgroups.map((workgroup) => ({
    workgroup,
    tiles: Object.values(s.resident.get(workgroup) ?? {}).map((tile) => ({ workgroup, ...tile })),
    phase: s.phase.get(workgroup) ?? null,
  }));
  const f = s.frame;
  return {
    step: s.step,
    frames: t.frames.length,
    complete: t.complete,
    sofar,
    total,
    tensors,
    workgroups,
    last: f
      ? { workgroup: f.workgroup, kind: f.kind, tensor: f.tensor, bytes: f.bytes, phase: f.phase }
      : null,
  };
}

export type Lane = keyof Traffic;
/** Order of the arrows, and which way each points. */
export const LANES: ReadonlyArray<{ kind: Lane; toward: 'chip' | 'hbm' }> = [
  { kind: 'load', toward: 'chip' },
  { kind: 'store', toward: 'hbm' },
  { kind: 'read', toward: 'chip' },
  { kind: 'write', toward: 'hbm' },
];

export interface TrafficLayout {
  width: number;
  height: number;
  hbm: { x: number; y: number; w: number; h: number };
  lanes: Array<{ kind: Lane; toward: 'chip' | 'hbm'; y: number; x0: number; x1: number; done: number }>;
  boxes: Array<{
    workgroup: number;
    x: number;
    y: number;
    w: number;
    h: number;
    chips: Array<{ tensor: string; count: number; x: number; y: number; w: number }>;
    more: number;
  }>;
  /** Workgroups holding tiles that are not drawn. */
  hidden: number;
}

const W = 560;
const TOP = 28;
const CHIP_H = 20;
const chipWidth = (text: string) => 14 + 7 * text.length;

/**
 * Positions for the traffic drawing: HBM on the left, one box per workgroup on the right (the one the last
 * frame touched first, then those holding tiles, at most `maxBoxes`), and an arrow per direction between
 * them whose filled part is the share of that direction's bytes moved so far.
 */
export function trafficLayout(m: TrafficModel, maxBoxes = 4): TrafficLayout {
  const laneX0 = 150;
  const laneX1 = 330;
  const boxX = 350;
  const boxW = W - boxX;
  const holding = m.workgroups.filter((w) => w.tiles.length > 0).map((w) => w.workgroup);
  const first = m.last?.workgroup ?? holding[0] ?? m.workgroups[0]?.workgroup;
  const order = [...new Set([...(first === undefined ? [] : [first]), ...holding])];
  const shown = order.slice(0, maxBoxes);
  let y = TOP;
  const boxes = shown.map((wg) => {
    const tiles = m.workgroups.find((w) => w.workgroup === wg)?.tiles ?? [];
    const chips: TrafficLayout['boxes'][number]['chips'] = [];
    let cx = 8;
    let cy = 24;
    let more = 0;
    for (const t of tiles) {
      const w = Math.min(boxW - 16, chipWidth(`${t.tensor} ${t.count}`));
      if (cx + w > boxW - 8) {
        cx = 8;
        cy += CHIP_H + 4;
      }
      if (chips.length >= 6) {
        more++;
        continue;
      }
      chips.push({ tensor: t.tensor, count: t.count, x: cx, y: cy, w });
      cx += w + 4;
    }
    const h = cy + CHIP_H + 8;
    const box = { workgroup: wg, x: boxX, y, w: boxW, h, chips, more };
    y += h + 8;
    return box;
  });
  const lanesH = LANES.length * 30 + 8;
  const height = Math.max(y, TOP + lanesH) + 4;
  const lanes = LANES.map((l, i) => ({
    ...l,
    y: TOP + 20 + i * 30,
    x0: laneX0,
    x1: laneX1,
    done: m.total[l.kind] > 0 ? m.sofar[l.kind] / m.total[l.kind] : 0,
  }));
  return {
    width: W,
    height,
    hbm: { x: 0, y: TOP, w: 140, h: height - TOP - 4 },
    lanes,
    boxes,
    hidden: Math.max(0, holding.filter((w) => !shown.includes(w)).length),
  };
}
