// Golden adapters for the attention family: golden case -> program inputs -> outputs, on both backends.

import type { GoldenAdapter } from '../format';

export const attentionAdapters: Record<string, GoldenAdapter> = {};
