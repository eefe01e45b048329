// Browser entry for shader text: Vite inlines every shaders/**/*.wgsl file as a string at build time.
// Node uses engine/node/gpu.ts, which reads the same files from disk.

import { setShaderLoader } from './shaders';

const files = import.meta.glob('../shaders/**/*.wgsl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export function loadBundledShaders(): void {
  setShaderLoader((path) => {
    const text = files[`../shaders/${path}`];
    if (text === undefined) throw new Error(`shader not bundled: shaders/${path}`);
    return text;
  });
}
