// Browser entry for shader text: Vite turns every shaders/**/*.wgsl file into its own small chunk, fetched
// the first time a kernel names it, so the first JavaScript file carries no WGSL and a stage downloads only
// the kernels it runs. Node uses engine/node/gpu.ts, which reads the same files from disk.

import { setShaderLoader } from './shaders';

const files = import.meta.glob('../shaders/**/*.wgsl', { query: '?raw', import: 'default' }) as Record<
  string,
  () => Promise<string>
>;

export function loadBundledShaders(): void {
  setShaderLoader((path) => {
    const load = files[`../shaders/${path}`];
    if (load === undefined) throw new Error(`shader not bundled: shaders/${path}`);
    return load();
  });
}
