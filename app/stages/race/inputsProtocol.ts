// Messages between the page and the race's input worker (inputsWorker.ts): plain objects and typed arrays.

import type { raceStage } from '../../../engine';

export interface InputRequest {
  id: number;
  sizes: raceStage.Sizes;
  key: string;
  L: number;
  base: number;
}

export type InputReply = { id: number; inputs: object } | { id: number; error: string };
