// Trace recording, shared by every instrumented kernel. Functions and structs only: the kernel itself
// declares `@group(0) @binding(K) var<storage, read_write> trace: TraceBuf;` and sets the override TRACE.
// With TRACE = false (the default) every call folds away at pipeline creation: zero cost when off.
// Record layout (8 u32): kind, workgroup, seq, tensor, offset, count, bytes, aux (engine/trace/events.ts).
// The kinds (TRACE_LOAD, TRACE_STORE, …) and each kernel's tensor ids (T_*) are generated from
// engine/trace/events.ts and engine/trace/tensors.ts and prepended by kernel(); they are not written here.
// Call from one invocation per workgroup (e.g. local_invocation_index == 0) so seq stays ordered.

override TRACE: bool = false;

struct TraceBuf {
  count: atomic<u32>,
  capacity: u32,
  pad0: u32,
  pad1: u32,
  words: array<u32>,
}

var<workgroup> traceSeq: u32;

fn traceEvent(kind: u32, wg: u32, tensor: u32, offset: u32, count: u32, bytes: u32, aux: u32) {
  if (!TRACE) {
    return;
  }
  let seq = traceSeq;
  traceSeq = seq + 1u;
  let i = atomicAdd(&trace.count, 1u);
  if (i >= trace.capacity) {
    return;
  }
  let b = i * 8u;
  trace.words[b] = kind;
  trace.words[b + 1u] = wg;
  trace.words[b + 2u] = seq;
  trace.words[b + 3u] = tensor;
  trace.words[b + 4u] = offset;
  trace.words[b + 5u] = count;
  trace.words[b + 6u] = bytes;
  trace.words[b + 7u] = aux;
}
