// The engine badge: "webgpu · <adapter>", "cpu · <reason>", or "webgpu · device lost" with a Re-initialise
// GPU button.
// Its text starts with webgpu or cpu (test contract: data-testid="engine-backend").

import { initGpu } from '../runtime/gpu';
import { appStore, useApp } from '../store';

export function EngineBadge() {
  const gpu = useApp((s) => s.gpu);
  let text: string;
  let title: string;
  if (gpu.state === 'webgpu') {
    text = `webgpu · ${gpu.adapterName}`;
    title = 'Every value on this page is computed by WebGPU kernels and read back from the GPU.';
  } else if (gpu.state === 'lost') {
    text = 'webgpu · device lost (CPU until re-initialised)';
    title = `The GPU device was lost (${gpu.reason}). Values computed from now on use the CPU reference.`;
  } else if (gpu.state === 'cpu') {
    text = `cpu · ${gpu.reason}`;
    title = 'Values are computed by the float64 CPU reference instead of the GPU.';
  } else {
    text = 'starting…';
    title = 'Looking for a WebGPU adapter.';
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
          Re-initialise GPU
        </button>
      )}
    </div>
  );
}
