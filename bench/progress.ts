// The CLI's progress on stderr while the suite runs (the interface is engine/bench/progress.ts): on a
// terminal one bar redrawn in place; elsewhere (CI, a log file, the GPU machine's output) one plain line
// per finished row.

import type { Progress } from '../engine/bench/progress';

export type { Progress };

const clock = (s: number) => `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;

export function progress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const t0 = performance.now();
  let finished = 0;
  const elapsed = () => clock((performance.now() - t0) / 1000);
  const bar = (label: string) => {
    const width = 24;
    const full = Math.round((finished / Math.max(1, total)) * width);
    const cols = stream.columns ?? 100;
    const line = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${finished}/${total} ${elapsed()} ${label}`;
    stream.write(`\r\x1b[2K${line.slice(0, cols - 1)}`);
  };
  return {
    start(label) {
      if (stream.isTTY) bar(label);
    },
    done(label, result) {
      finished++;
      if (stream.isTTY) bar(`${label}: ${result}`);
      else stream.write(`bench [${finished}/${total} ${elapsed()}] ${label}: ${result}\n`);
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
