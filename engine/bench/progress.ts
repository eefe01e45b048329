// What the suite tells whoever watches it run: a row starts, a row is done. The CLI draws a bar on stderr
// (bench/progress.ts); the race stage moves a <progress> and fills its plots row by row.

export interface Progress {
  /** A row starts (the bar shows it). */
  start(label: string): void;
  /** A row is done; `result` is its time or why it was skipped. */
  done(label: string, result: string): void;
  end(): void;
}
