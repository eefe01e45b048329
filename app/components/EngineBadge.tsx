// The engine badge: "webgpu · <adapter>", "cpu · <why>", or "webgpu · device lost" with a Re-initialise
// GPU button. Its text starts with webgpu or cpu (test contract: data-testid="engine-backend"); the
// engine's own reason (English, from the browser) stays in the tooltip.

import { useTranslation } from '../i18n';
import { initGpu } from '../runtime/gpu';
import { appStore, useApp } from '../store';

export function EngineBadge() {
  const gpu = useApp((s) => s.gpu);
  const { t } = useTranslation('common');
  let text: string;
  let title: string;
  if (gpu.state === 'webgpu') {
    text = t('badge.webgpu', { adapter: gpu.adapterName });
    title = t('badge.webgpuTitle');
  } else if (gpu.state === 'lost') {
    text = t('badge.lost');
    title = t('badge.lostTitle', { reason: gpu.reason });
  } else if (gpu.state === 'cpu') {
    text = gpu.forcedCpu ? t('badge.cpuForced') : t('badge.cpuNoGpu');
    title = t('badge.cpuTitle', { reason: gpu.reason });
  } else {
    text = t('badge.starting');
    title = t('badge.startingTitle');
  }
  return (
    <div className="engine">
      {/* The test id appears once a backend is chosen, so its text always starts with webgpu or cpu. */}
      <output
        className={`badge badge-${gpu.state}`}
        data-testid={gpu.state === 'pending' ? undefined : 'engine-backend'}
        title={title}
        aria-live="polite"
      >
        {text}
      </output>
      {gpu.state === 'lost' && (
        <button type="button" data-testid="reinit-gpu" onClick={() => void initGpu(appStore(), false)}>
          {t('badge.reinit')}
        </button>
      )}
    </div>
  );
}
