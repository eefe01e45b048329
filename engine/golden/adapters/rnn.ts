// Golden adapters for the rnn family: golden case -> program inputs -> outputs, on both backends.

import type { GoldenAdapter } from '../format';

export const rnnAdapters: Record<string, GoldenAdapter> = {};
