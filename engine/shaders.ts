// Where WGSL text comes from. One source of truth, shaders/**/*.wgsl, reached two ways:
// the browser build registers Vite's `?raw` imports, Node registers a reader of the files on disk.
// Kernels name their sources as paths relative to shaders/, e.g. 'common/math.wgsl'.

export type ShaderLoader = (path: string) => string;

let loader: ShaderLoader | null = null;

export function setShaderLoader(next: ShaderLoader): void {
  loader = next;
}

export function shaderSource(path: string): string {
  if (!loader) throw new Error(`no shader loader registered (wanted shaders/${path})`);
  return loader(path);
}

/** Concatenates an explicit list of sources, each headed by its path so compiler messages can be traced. */
export function concatSources(paths: string[]): string {
  return paths.map((p) => `// ---- shaders/${p}\n${shaderSource(p)}`).join('\n');
}
