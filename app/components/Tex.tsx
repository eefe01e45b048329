// KaTeX as a React component: renderToString once per (tex, display), HTML + MathML for screen readers.
// The KaTeX stylesheet (and its fonts) is imported from the package, so Vite bundles them locally.

import 'katex/dist/katex.min.css';
import katex from 'katex';
import { useMemo } from 'react';

export function Tex({ tex, display = false, label }: { tex: string; display?: boolean; label?: string }) {
  const html = useMemo(
    () => katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' }),
    [tex, display],
  );
  const Tag = display ? 'div' : 'span';
  return (
    <Tag
      className={display ? 'tex tex-display' : 'tex'}
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output from our own constant TeX strings.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
