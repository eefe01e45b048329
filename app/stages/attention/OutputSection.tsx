// Section 3: one head's output O = PV, the live checks (FlashAttention-2 = naive attention; GPU = the CPU
// reference), and the memory naive attention really allocated for S and P, read from its records.

import { Check, GpuCpuCheck } from '../../components/Check';
import { MatrixGrid } from '../../components/MatrixGrid';
import { TitledSection } from '../../components/parts';
import { ScrollRegion } from '../../components/ScrollRegion';
import { useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { formatBytes, useTranslation } from '../../i18n';
import { flashNaiveCheck, headOf } from './checks';
import { MemoryChart } from './MemoryChart';
import { cellFor } from './QkvSection';
import type { AttentionResult } from './runtime';
import { attentionTex } from './tex';

export function OutputSection({ r, head, width }: { r: AttentionResult; head: number; width: number }) {
  const { t } = useTranslation('attention');
  const { h, d } = r.params;
  const L = r.inputs.tokens.length;
  const o = useSym('O');
  const flash = flashNaiveCheck(r);
  const m = r.memory;
  return (
    <TitledSection headingId="sec-output" title={t('output.title')}>
      <Tex tex={attentionTex.output} display />
      <p>{t('output.intro')}</p>
      <ScrollRegion label={t('output.title')}>
        <div {...o.bind} className={`${o.bind.className} view`}>
          <div className="grid-label">
            <Tex tex={`O^{(${head + 1})}`} /> <span>{t('qkv.shape', { L, d })}</span>
          </div>
          <MatrixGrid
            values={headOf(r.outputs.out, L, h, d, head)}
            rows={L}
            cols={d}
            cell={cellFor(width, d, 6, 24)}
            label={t('output.label', { head: head + 1 })}
            name={(i, c) => `O[${i + 1}, ${c + 1}]`}
            testId="grid-o"
          />
        </div>
      </ScrollRegion>
      <div className="checks">
        <Check
          name="flash-naive"
          label={t('checks.flashNaive')}
          maxErr={flash.maxErr}
          tolerance={flash.tolerance}
        />
        <GpuCpuCheck value={r.gpuCpu} label={t('checks.gpuCpu')} none={t('checks.gpuCpuNone')} />
      </div>
      <h4>{t('memory.title')}</h4>
      <Tex tex={attentionTex.memory} display />
      <p data-testid="memory-bytes" data-bytes={m.S} data-source={m.source}>
        {t(m.source === 'records' ? 'memory.records' : 'memory.cpu', {
          S: formatBytes(m.S),
          P: formatBytes(m.P),
          L,
          h,
        })}
      </p>
      <MemoryChart L={L} bytes={m.S} width={width} />
      <p className="small">{t('memory.note')}</p>
    </TitledSection>
  );
}
