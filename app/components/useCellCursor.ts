// Values readable without a mouse: a diagram of cells (rows × cols; a sequence is one row) is one focusable
// element whose arrow keys, Home and End move a cursor cell, and a tap or click picks the cell under the
// pointer. The picked cell's name and value are shown in a readout line beside the diagram.

import { type KeyboardEvent, useState } from 'react';

export interface CellCursor {
  /** The picked cell, or null before the reader picks one. */
  cell: { r: number; c: number } | null;
  onKeyDown(e: KeyboardEvent): void;
  onFocus(): void;
  /** Picks the cell at (r, c), e.g. from a pointer position the diagram converts. */
  pick(r: number, c: number): void;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function useCellCursor(rows: number, cols: number): CellCursor {
  const [cell, setCell] = useState<{ r: number; c: number } | null>(null);
  const at = cell && cell.r < rows && cell.c < cols ? cell : null;
  const move = (dr: number, dc: number) => {
    const cur = at ?? { r: 0, c: 0 };
    setCell({ r: clamp(cur.r + dr, 0, rows - 1), c: clamp(cur.c + dc, 0, cols - 1) });
  };
  return {
    cell: at,
    onKeyDown(e) {
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [0, -1],
        ArrowRight: [0, 1],
        ArrowUp: [-1, 0],
        ArrowDown: [1, 0],
      };
      const m = moves[e.key];
      if (m) move(m[0], m[1]);
      else if (e.key === 'Home') setCell({ r: at?.r ?? 0, c: 0 });
      else if (e.key === 'End') setCell({ r: at?.r ?? 0, c: cols - 1 });
      else return;
      // The keys move the cursor here; they must not also step the playback.
      e.preventDefault();
      e.stopPropagation();
    },
    onFocus() {
      if (!at) setCell({ r: 0, c: 0 });
    },
    pick(r, c) {
      setCell({ r: clamp(r, 0, rows - 1), c: clamp(c, 0, cols - 1) });
    },
  };
}
