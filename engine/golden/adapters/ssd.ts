// Golden adapters for the ssd family: golden case -> program inputs -> outputs, on both backends.

import type { GoldenAdapter } from '../format';

export const ssdAdapters: Record<string, GoldenAdapter> = {};
