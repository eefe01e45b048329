// The KaTeX fonts the ssm math uses, loaded before the stage's lazy parts render: KaTeX's @font-face rules
// use font-display: block, so math laid out before its fonts arrive is laid out again when they do, and
// the page shifts (issue 8 measured 1.04 CLS). The wait is bounded: a font that never comes costs at most
// LIMIT_MS, and the math then renders as before.

const FACES = [
  '400 1em KaTeX_Main',
  'italic 400 1em KaTeX_Main',
  '700 1em KaTeX_Main',
  'italic 400 1em KaTeX_Math',
  '400 1em KaTeX_AMS',
  '400 1em KaTeX_Size1',
  '400 1em KaTeX_Size2',
  '400 1em KaTeX_Size3',
  '400 1em KaTeX_Size4',
];

const LIMIT_MS = 2500;

let ready: Promise<void> | null = null;

/** Resolves once the math fonts are loaded (or LIMIT_MS passed); call after katex.min.css is in the page. */
export function mathFontsReady(): Promise<void> {
  if (ready) return ready;
  const fonts = typeof document !== 'undefined' ? document.fonts : undefined;
  if (!fonts?.load) return Promise.resolve();
  const all = Promise.all(FACES.map((f) => fonts.load(f).catch(() => []))).then(() => undefined);
  const limit = new Promise<void>((done) => setTimeout(done, LIMIT_MS));
  ready = Promise.race([all, limit]);
  return ready;
}

/** A lazy module loader that also waits for the math fonts (the module brings KaTeX's stylesheet). */
export function withMathFonts<M>(load: () => Promise<M>): () => Promise<M> {
  return () => load().then((m) => mathFontsReady().then(() => m));
}
