// The bindings and constants of flashDecodingFast's two split kernels (flashDecodingFast.wgsl, the tiles
// form, and flashDecodingWarps.wgsl): the query, the KV cache and the splits' partials in flashDecoding's
// layout. flashDecodingFastFuse.wgsl adds O, lse and the arrival counters at 7–9.

@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read_write> ml: array<vec2<f32>>;  // (b, h, sq, splits): (m, l)
@group(0) @binding(5) var<storage, read_write> oPart: array<vec4<f32>>;  // (b, h, sq, splits, d)
@group(0) @binding(6) var<storage, read_write> trace: TraceBuf;  // declared for common/trace.wgsl; never traced

const LOG2E: f32 = 1.4426950408889634;
const LN2: f32 = 0.6931471805599453;
