// The benchmark's sizes: FULL follows the papers (batch 1, f32; attention and SSD 32 heads of 64; SSD
// N = 64 and 128 with the best chunk; the Mamba-1 scan D = 4096, N = 16) over L = 512 … 16K; QUICK keeps
// every size tiny, so the whole suite runs in seconds on SwiftShader (CI checks the output, never times).

export interface Sizes {
  name: 'full' | 'quick';
  Ls: number[];
  /** Bytes the copy kernel (the bandwidth ceiling) copies. */
  copyBytes: number;
  /** Query heads h, key/value heads h_k (the reference shape: GQA 32/8), head dim d. */
  attention: { h: number; hk: number; d: number };
  /** Linear attention: heads and key/value dims, and the chunk of the chunked form. */
  linear: { H: number; K: number; V: number; chunk: number };
  /** The Mamba-1 selective scan: channels D, state N. */
  scan: { D: number; N: number };
  /** SSD heads H of dim P, the state sizes N compared, the chunks Q tried (the best is reported). */
  ssd: { H: number; P: number; Ns: number[]; Qs: number[] };
  /** S4's convolution: H channels, each its own kernel of length L. */
  s4: { H: number };
  /** Mamba-130m-like blocks: d_model (d_inner = 2 d_model), Mamba's N, Mamba-2's head dim and N. */
  blocks: { dModel: number; N1: number; P2: number; N2: number };
}

export const FULL: Sizes = {
  name: 'full',
  Ls: [512, 1024, 2048, 4096, 8192, 16384],
  copyBytes: 2 ** 30,
  attention: { h: 32, hk: 8, d: 64 },
  linear: { H: 32, K: 64, V: 64, chunk: 64 },
  scan: { D: 4096, N: 16 },
  ssd: { H: 32, P: 64, Ns: [64, 128], Qs: [64, 128, 256] },
  s4: { H: 256 },
  blocks: { dModel: 768, N1: 16, P2: 64, N2: 128 },
};

export const QUICK: Sizes = {
  name: 'quick',
  Ls: [16, 32, 64],
  copyBytes: 2 ** 20,
  attention: { h: 2, hk: 1, d: 16 },
  linear: { H: 2, K: 16, V: 16, chunk: 8 },
  scan: { D: 16, N: 16 },
  ssd: { H: 2, P: 16, Ns: [16, 32], Qs: [8, 16] },
  s4: { H: 4 },
  blocks: { dModel: 32, N1: 16, P2: 16, N2: 16 },
};

/** 512 → "512", 2048 → "2K". */
export const lengthLabel = (L: number): string => (L >= 1024 && L % 1024 === 0 ? `${L / 1024}K` : `${L}`);
