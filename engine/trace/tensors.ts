// One table per traced kernel family: the names of the tensors (and compute phases) a trace event can
// point at. The same table yields the names decodeTrace() gives the records and the WGSL constants the
// kernels record with (`const T_ABAR: u32 = 0u;`), prepended by kernel() — so an index is never written
// twice. The event kinds (TRACE_LOAD …) are generated the same way from TraceKind.

import { NO_TENSOR, TraceKind } from './events';

export interface TraceTable {
  /** Tensor names by index: what `tensor` means in a record. */
  readonly tensors: readonly string[];
  /** Compute-phase names by id: what `aux` means in compute and chunkPhase records. */
  readonly phases: readonly string[];
  /** WGSL: `const T_<TENSOR>: u32 = i;` and `const PHASE_<NAME>: u32 = i;` for every entry. */
  readonly wgsl: string;
}

/** 'Abar' -> 'ABAR', 'initialStates' -> 'INITIAL_STATES', 'final_state' -> 'FINAL_STATE', 'WihT' -> 'WIH_T'. */
export function constName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

function consts(prefix: string, names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  return names.map((n, i) => {
    if (n === '') throw new Error(`trace table: empty ${prefix} name at ${i}`);
    const c = `${prefix}${constName(n)}`;
    const clash = seen.get(c);
    if (clash !== undefined) throw new Error(`trace table: '${n}' and '${clash}' both become ${c}`);
    seen.set(c, n);
    return `const ${c}: u32 = ${i}u;`;
  });
}

export function traceTable(tensors: readonly string[], phases: readonly string[] = []): TraceTable {
  const wgsl = [...consts('T_', tensors), ...consts('PHASE_', phases), ''].join('\n');
  return Object.freeze({ tensors: Object.freeze([...tensors]), phases: Object.freeze([...phases]), wgsl });
}

/**
 * WGSL for the record kinds, from TraceKind (`const TRACE_LOAD: u32 = 1u;` …) and the id of "no tensor"
 * (`const NO_TENSOR: u32 = 65535u;`), prepended with trace.wgsl.
 */
export const TRACE_KINDS_WGSL = `${[
  ...Object.entries(TraceKind).map(([k, v]) => `const TRACE_${constName(k)}: u32 = ${v}u;`),
  `const NO_TENSOR: u32 = ${NO_TENSOR}u;`,
].join('\n')}\n`;
