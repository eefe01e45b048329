// Trusted Types: the page runs with `require-trusted-types-for 'script'` (index.html's CSP), so the only
// two places that hand strings to the DOM's injection sinks go through named policies: KaTeX's markup
// (rendered from our own TeX strings) and the CPU worker's script URL (same origin only). Where the
// browser has no Trusted Types the strings pass as they are.

interface Policy {
  createHTML?(s: string): unknown;
  createScriptURL?(s: string): unknown;
}
interface TrustedTypesFactory {
  createPolicy(name: string, rules: Policy): Policy;
}

const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;

const katex = factory?.createPolicy('seqscope-katex', { createHTML: (s) => s });
const worker = factory?.createPolicy('seqscope-worker', {
  createScriptURL: (s) => {
    const u = new URL(s, globalThis.location?.href);
    if (u.origin !== globalThis.location?.origin)
      throw new Error(`a worker script from another origin: ${u.origin}`);
    return u.href;
  },
});

/** KaTeX's HTML for dangerouslySetInnerHTML (a TrustedHTML where the browser enforces Trusted Types). */
export function trustedHtml(html: string): string {
  return (katex?.createHTML?.(html) ?? html) as string;
}

/** The CPU worker's URL (a TrustedScriptURL where enforced). */
export function trustedScriptUrl(url: URL): string | URL {
  return (worker?.createScriptURL?.(url.href) ?? url) as string | URL;
}
