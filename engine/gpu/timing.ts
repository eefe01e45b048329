// GPU timing with timestamp queries: the start of the first pass to the end of the last.
// Where the device lacks 'timestamp-query' callers get null, never a made-up number.

import type { Gpu } from './device';

/** Timestamps at the start of the first pass and the end of the last one. */
export class PassTimer {
  private readonly set: GPUQuerySet;
  private readonly resolveBuf: GPUBuffer;
  private readonly readBuf: GPUBuffer;
  constructor(
    private readonly gpu: Gpu,
    label: string,
  ) {
    this.set = gpu.device.createQuerySet({ label: `${label}.timestamps`, type: 'timestamp', count: 2 });
    this.resolveBuf = gpu.device.createBuffer({
      label: `${label}.timestamps.resolve`,
      size: 16,
      usage: 0x200 | 0x4,
    });
    this.readBuf = gpu.device.createBuffer({ label: `${label}.timestamps.read`, size: 16, usage: 0x1 | 0x8 });
  }
  writes(i: number, n: number): GPUComputePassTimestampWrites | undefined {
    const w: GPUComputePassTimestampWrites = { querySet: this.set };
    if (i === 0) w.beginningOfPassWriteIndex = 0;
    if (i === n - 1) w.endOfPassWriteIndex = 1;
    return i === 0 || i === n - 1 ? w : undefined;
  }
  resolve(encoder: GPUCommandEncoder): void {
    encoder.resolveQuerySet(this.set, 0, 2, this.resolveBuf, 0);
    encoder.copyBufferToBuffer(this.resolveBuf, 0, this.readBuf, 0, 16);
  }
  async read(): Promise<number | null> {
    try {
      await this.readBuf.mapAsync(1);
      const t = new BigUint64Array(this.readBuf.getMappedRange().slice(0));
      const ns = Number(t[1] - t[0]);
      return ns > 0 ? ns / 1e6 : null;
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
