// GPU timing with timestamp queries: the start of the first pass to the end of the last, and each pass's
// own time (timestamps at the start and end of every pass, where the set's 4096 queries hold them).
// Where the device lacks 'timestamp-query' callers get null, never a made-up number.

import type { Gpu } from './device';

/** WebGPU's limit on the queries of one set. */
const MAX_QUERIES = 4096;

/** Timestamps around the passes of one submission. */
export class PassTimer {
  private readonly set: GPUQuerySet;
  private readonly resolveBuf: GPUBuffer;
  private readonly readBuf: GPUBuffer;
  /** Timestamps at the start and end of every pass (2n), or of the sequence only (asked, or where 2n passes the limit). */
  private readonly perPass: boolean;
  /** Queries in the set: 2n, or 2. */
  private readonly count: number;
  constructor(
    private readonly gpu: Gpu,
    label: string,
    private readonly n = 1,
    endsOnly = false,
  ) {
    this.perPass = !endsOnly && 2 * n <= MAX_QUERIES;
    const count = this.perPass ? 2 * n : 2;
    this.count = count;
    this.set = gpu.device.createQuerySet({ label: `${label}.timestamps`, type: 'timestamp', count });
    this.resolveBuf = gpu.device.createBuffer({
      label: `${label}.timestamps.resolve`,
      size: 8 * count,
      usage: 0x200 | 0x4,
    });
    this.readBuf = gpu.device.createBuffer({
      label: `${label}.timestamps.read`,
      size: 8 * count,
      usage: 0x1 | 0x8,
    });
  }
  writes(i: number): GPUComputePassTimestampWrites | undefined {
    if (this.perPass)
      return { querySet: this.set, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
    const w: GPUComputePassTimestampWrites = { querySet: this.set };
    if (i === 0) w.beginningOfPassWriteIndex = 0;
    if (i === this.n - 1) w.endOfPassWriteIndex = 1;
    return i === 0 || i === this.n - 1 ? w : undefined;
  }
  resolve(encoder: GPUCommandEncoder): void {
    encoder.resolveQuerySet(this.set, 0, this.count, this.resolveBuf, 0);
    encoder.copyBufferToBuffer(this.resolveBuf, 0, this.readBuf, 0, 8 * this.count);
  }
  /** The whole sequence's ms (null if the clock did not advance) and, where timed, each pass's. */
  async read(): Promise<{ total: number | null; passes: number[] | null }> {
    try {
      await this.readBuf.mapAsync(1);
      const t = new BigUint64Array(this.readBuf.getMappedRange().slice(0));
      const ns = Number(t[t.length - 1] - t[0]);
      const passes = this.perPass
        ? Array.from({ length: this.n }, (_, i) => Math.max(0, Number(t[2 * i + 1] - t[2 * i])) / 1e6)
        : null;
      return { total: ns > 0 ? ns / 1e6 : null, passes: ns > 0 ? passes : null };
    } finally {
      this.destroy();
    }
  }
  destroy(): void {
    this.set.destroy();
    this.resolveBuf.destroy();
    this.readBuf.destroy();
    void this.gpu;
  }
}
