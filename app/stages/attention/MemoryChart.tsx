// The bytes of S against the sequence length: the point measured at this L (the engine's records), and
// the curve c·L² through it up to the stage's longest sentence, so the reader sees doubling L quadruple S.

import { formatBytes, useTranslation } from '../../i18n';
import { Plot } from './Plot';

const MAX_L = 64;

export function MemoryChart({ L, bytes, width }: { L: number; bytes: number; width: number }) {
  const { t } = useTranslation('attention');
  const c = bytes / (L * L);
  const top = c * MAX_L * MAX_L;
  return (
    <Plot
      width={width}
      xMin={1}
      xMax={MAX_L}
      yMax={top}
      line={Array.from({ length: MAX_L }, (_, i) => [i + 1, c * (i + 1) ** 2] as const)}
      points={[[L, bytes]]}
      xTicks={[1, 16, 32, 48, 64].map((l) => ({ x: l, label: String(l) }))}
      xName="L"
      yTop={formatBytes(top)}
      pointLabel={formatBytes(bytes)}
      label={t('memory.chart', { L, bytes: formatBytes(bytes), top: formatBytes(top), max: MAX_L })}
      testId="memory-chart"
    />
  );
}
