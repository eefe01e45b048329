// The CPU backend's Web Worker: runs the stage runtimes' CPU paths (the float64 references and their
// steppers) off the main thread, so the page never freezes while the reader moves a slider.

import { runtimes } from '../stages/runtimes';
import { cpuHost } from './cpuHost';
import type { CpuReply, CpuRequest } from './cpuProtocol';

const host = cpuHost(runtimes);
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<CpuRequest>) => void) | null;
  postMessage(m: CpuReply): void;
};
scope.onmessage = (e) => {
  void host.answer(e.data).then((reply) => scope.postMessage(reply));
};
