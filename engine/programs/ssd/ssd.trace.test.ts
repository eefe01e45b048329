import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { ssdRecurrent } from '../../reference/ssd';
import { bytesBy } from '../../trace/events';
import { timeline } from '../../trace/timeline';
import { relCheck } from '../../util/compare';
import { makeSsdInputs, ssdChunkedGpu } from './ssdChunked';
import { SSD_PHASE_NAMES, ssdTiles } from './common';

/** Rows of each TT-tile of a chunk of length Lc. */
const tileRows = (Lc: number, TT: number) =>
  Array.from({ length: Math.ceil(Lc / TT) }, (_, i) => Math.min(TT, Lc - i * TT));

describe('chunked SSD traces', () => {
  for (const Q of [64, 17]) {
    it(`byte counts equal the tiling formulas and every chunk shows the four named phases (b=2, T=300, h=3, p=5, n=7, chunk=${Q})`, async () => {
      const gpu = await testGpu();
      const p = { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q, withInit: true };
      const x = makeSsdInputs(p, 5);
      const r = await ssdChunkedGpu(gpu, p, x, { trace: true });
      const trace = r.trace;
      if (!trace) throw new Error('no trace');
      expect(trace.dropped).toBe(0);
      expect(relCheck(r.Y, ssdRecurrent(p, x).Y, 1e-4).ok).toBe(true);

      const { batch, T, H, P, N } = p;
      const bh = batch * H;
      const f = 4;
      const nC = Math.ceil(T / Q);
      const lens = Array.from({ length: nC }, (_, c) => Math.min(Q, T - c * Q));
      const tl = ssdTiles(p, Q);
      const pTilesDiag = Math.ceil(P / tl.diag.PT);
      const pTilesState = Math.ceil(P / tl.state.PT);
      const nTilesState = Math.ceil(N / tl.state.NT);
      const pTilesOut = Math.ceil(P / tl.out.PT);
      // Diagonal blocks: t-tile i loads the X and B rows of s-tiles 0..i and its own C rows once per s-tile.
      let xDiag = 0;
      let bDiag = 0;
      let cDiag = 0;
      let tilesOut = 0;
      for (const Lc of lens) {
        const rows = tileRows(Lc, tl.diag.TT);
        rows.forEach((ri, i) => {
          const below = rows.slice(0, i + 1).reduce((a, b) => a + b, 0);
          xDiag += below * P;
          bDiag += below * N * pTilesDiag;
          cDiag += (i + 1) * ri * N * pTilesDiag;
        });
        tilesOut += tileRows(Lc, tl.out.TT).length;
      }
      const sn = bh * P * N * f;
      const want: Record<string, number> = {
        // phase 1: Ydiag written once
        'store:Ydiag': batch * T * H * P * f,
        'load:C': (cDiag + T * N * pTilesOut) * bh * f,
        // phases 1 and 2: X read by the diagonal blocks and once per N-tile by the chunk states
        'load:X': (xDiag + T * P * nTilesState) * bh * f,
        'load:B': (bDiag + T * N * pTilesState) * bh * f,
        // phase 2: chunk states written once per chunk
        'store:states': nC * sn,
        // phase 3: each chunk state read once, passed states written once (with the initial slot)
        'read:states': nC * sn,
        'write:passed': (nC + 1) * sn,
        'read:init': sn,
        // phase 4: passed[c] loaded once per t-tile of chunk c; Ydiag read once, Y written once
        'load:passed': tilesOut * sn,
        // phase 1 leaves the running decay Acum once per row; phase 3 reads one value per chunk, phase 4 its rows
        'write:Acum': batch * T * H * f,
        'read:Acum': (nC * Math.ceil((P * N) / tl.pass.WG) + T * pTilesOut) * bh * f,
        'read:Ydiag': batch * T * H * P * f,
        'write:Y': batch * T * H * P * f,
      };
      const got = bytesBy(trace);
      for (const [key, bytes] of Object.entries(want)) expect(got[key], key).toBe(bytes);

      // Every chunk records each of the four phases, and a timeline names them as the stepper does; the
      // workgroup ids are unique over the phases, so each workgroup's frames name one phase.
      const byChunk = new Map<number, Set<string | null>>();
      const byWorkgroup = new Map<number, Set<string | null>>();
      for (const f of timeline(trace).frames) {
        if (f.kind !== 'chunkPhase') continue;
        for (const [m, key] of [
          [byChunk, f.offset],
          [byWorkgroup, f.workgroup],
        ] as const) {
          if (!m.has(key)) m.set(key, new Set());
          m.get(key)?.add(f.phase);
        }
      }
      expect([...byChunk.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: nC }, (_, c) => c));
      const names = Object.values(SSD_PHASE_NAMES);
      for (const s of byChunk.values()) expect([...s].sort()).toEqual([...names].sort());
      for (const s of byWorkgroup.values()) expect(s.size).toBe(1);
    });
  }
});
