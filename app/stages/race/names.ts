// The reader's-language names of the suite's algorithms and the catalog key of a compared pair's claim.
// Ids come from engine/bench (SSD's carry its state size N: ssdChunked.N64); labels from race.json.

import type { raceStage } from '../../../engine';

type T = (key: string, values?: Record<string, unknown>) => string;

export function algorithmName(t: T, id: string, sizes: raceStage.Sizes): string {
  const ssd = /^(ssdChunked|ssdMatrix|ssdQuadratic)\.N(\d+)$/.exec(id);
  if (ssd) return t(`algorithms.${ssd[1]}`, { N: ssd[2] });
  if (id === 'laChunked') return t('algorithms.laChunked', { C: sizes.linear.chunk });
  return t(`algorithms.${id}`);
}

/** The catalog key of a pair's claim: claims.<a>_vs_<b>, state sizes dropped. */
export const claimKey = (a: string, b: string) =>
  `${a.replace(/\.N\d+$/, '')}_vs_${b.replace(/\.N\d+$/, '')}`;

/** The five theme colours a series takes in turn (views.css's seq-<tone> classes set --tone). */
const TONES = ['input', 'output', 'kernel', 'state', 'highlight'] as const;

/** Colour (5 theme colours) and dash (3 patterns) of the i-th algorithm: never colour alone, names beside. */
export const seriesClass = (i: number) =>
  `race-series seq-${TONES[i % TONES.length]} race-d${Math.floor(i / TONES.length) % 3}`;
