// The race's input worker: draws each length's inputs (10⁸ values at L = 16K) off the main thread with the
// suite's own makers (engine/bench/harness.ts makeInputsAt), and transfers the arrays made for that call.

import { raceStage } from '../../../engine';
import type { InputRequest, InputReply } from './inputsProtocol';

let registered = '';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<InputRequest>) => void) | null;
  postMessage(m: InputReply, transfer: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { id, sizes, key, L, base } = e.data;
  try {
    // The makers register when an algorithm lists its variants; new sizes drop the cached base arrays.
    const k = JSON.stringify(sizes);
    if (k !== registered) {
      raceStage.clearInputs(true);
      for (const a of raceStage.algorithms(sizes)) a.variants(sizes.Ls[0]);
      registered = k;
    }
    const { inputs, fresh } = raceStage.madeAt(key, L, base);
    scope.postMessage({ id, inputs }, fresh);
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }, []);
  }
};
