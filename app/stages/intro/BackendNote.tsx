// What the engine badge means, with what this very page used: WebGPU kernels whose every number was read
// back from the GPU, or the float64 CPU reference in a background worker.

import { Trans, formatNumber, useTranslation } from '../../i18n';
import { useIntroResult } from './hooks';

export function BackendNote() {
  const { t } = useTranslation('intro');
  const r = useIntroResult();
  return (
    <div className="backend-note">
      <p>
        <Trans t={t} i18nKey="badge.webgpu" components={{ code: <code /> }} />
      </p>
      <p>
        <Trans t={t} i18nKey="badge.cpu" components={{ code: <code /> }} />
      </p>
      {r && (
        <p data-testid="intro-backend">
          {r.backend === 'webgpu'
            ? t('badge.nowGpu', {
                dispatches: formatNumber(r.ran.dispatches.length),
                L: formatNumber(r.params.L),
              })
            : t('badge.nowCpu', { L: formatNumber(r.params.L) })}
        </p>
      )}
    </div>
  );
}
