// Scalar helpers for the CPU references, with torch semantics (softplus threshold 20).

export function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function silu(x: number): number {
  return x * sigmoid(x);
}
