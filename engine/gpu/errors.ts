// EngineError: the one exception type the engine throws, naming the kernel or program at fault.
// Edges (requestGpu, the golden runner, the app) turn it into a value or a sentence for the reader.

export class EngineError extends Error {
  readonly label: string;
  readonly detail: string;
  constructor(label: string, detail: string) {
    super(`${label}: ${detail}`);
    this.name = 'EngineError';
    this.label = label;
    this.detail = detail;
  }
}
