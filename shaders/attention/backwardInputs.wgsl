// The inputs every attention backward kernel that recomputes P binds (attentionBackwardRows.wgsl and
// FlashAttention-2's flashBackward.wgsl, flashBackwardDq.wgsl), at 1 … 6 after the uniform p; each kernel
// declares its outputs and the trace from binding 7 on.

@group(0) @binding(1) var<storage, read> q: array<f32>;  // (b, sq, h, d)
@group(0) @binding(2) var<storage, read> k: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(3) var<storage, read> v: array<f32>;  // (b, sk, h_k, d)
@group(0) @binding(4) var<storage, read> dout: array<f32>;  // (b, sq, h, d)
@group(0) @binding(5) var<storage, read> lse: array<f32>;  // (b, h, sq), +inf: no visible key
@group(0) @binding(6) var<storage, read> delta: array<f32>;  // (b, h, sq) rowsum(dout ∘ out)
