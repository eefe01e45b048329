// Golden adapters for the mamba family: golden case -> program inputs -> outputs, on both backends.

import type { GoldenAdapter } from '../format';

export const mambaAdapters: Record<string, GoldenAdapter> = {};
