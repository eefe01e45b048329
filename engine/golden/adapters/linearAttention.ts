// Golden adapters for the linearAttention family: golden case -> program inputs -> outputs, on both backends.

import type { GoldenAdapter } from '../format';

export const linearAttentionAdapters: Record<string, GoldenAdapter> = {};
