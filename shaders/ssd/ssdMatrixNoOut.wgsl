// The matrix-unit core's whole-tile store where some tile is partial (not DIRECT): never called. The kernels'
// own (ssd/ssdMatrixPrepOut.wgsl, ssd/ssdMatrixScanOut.wgsl) are left out there, since a matrix store into a
// buffer makes one matrix (1 KiB) that binding's least size, more than a small run's buffers hold.

fn storeMatrix(which: u32, m: u32, n: u32, v: Res) {}
