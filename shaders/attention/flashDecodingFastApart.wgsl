// flashDecodingFast's split pass without the folded combine: `finish` does nothing, and
// flashDecodingFastCombine.wgsl merges the partials in a second pass. Its twin is flashDecodingFastFuse.wgsl.

fn finish(b: u32, kh: u32, i: u32, grp: u32, row0: u32, tid: u32) {}
