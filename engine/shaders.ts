// Where WGSL text comes from. One source of truth, shaders/**/*.wgsl, reached two ways: the browser build
// registers Vite's lazy `?raw` imports (each file is fetched the first time a kernel needs it, so a stage
// loads only its own shaders), Node registers a reader of the files on disk. Kernels name their sources as
// paths relative to shaders/, e.g. 'common/math.wgsl'.

export type ShaderLoader = (path: string) => string | Promise<string>;

let loader: ShaderLoader | null = null;

export function setShaderLoader(next: ShaderLoader): void {
  loader = next;
}

export async function shaderSource(path: string): Promise<string> {
  if (!loader) throw new Error(`no shader loader registered (wanted shaders/${path})`);
  return loader(path);
}

/** Concatenates an explicit list of sources, each headed by its path so compiler messages can be traced. */
export async function concatSources(paths: readonly string[]): Promise<string> {
  const texts = await Promise.all(paths.map(shaderSource));
  return paths.map((p, i) => `// ---- shaders/${p}\n${texts[i]}`).join('\n');
}
