// KaTeX as a React component: HTML + MathML for screen readers. Renders are cached by (tex, display) for
// the page's life (a stage re-mounting, or a step changing one subscript, never re-typesets the rest).
// The KaTeX stylesheet (and its fonts) is imported from the package, so Vite bundles them locally.

import 'katex/dist/katex.min.css';
import katex from 'katex';
import { trustedHtml } from '../trust';

const cache = new Map<string, string>();
const CACHE_MAX = 2000;

export function texHtml(tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'i'}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, html);
  }
  return html;
}

export function Tex({ tex, display = false, label }: { tex: string; display?: boolean; label?: string }) {
  const html = texHtml(tex, display);
  const Tag = display ? 'div' : 'span';
  return (
    <Tag
      className={display ? 'tex tex-display' : 'tex'}
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output from our own constant TeX strings.
      dangerouslySetInnerHTML={{ __html: trustedHtml(html) }}
    />
  );
}
