// The check that Chinese catalog text has no English left in it (used by the catalog tests and e2e).

/** Lower-case English words of 4+ letters left once names, code, math, tags and glosses are removed. */
export function englishLeft(zh: string): string[] {
  const stripped = zh
    .replace(/<(code|kbd)>.*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/\$[^$]*\$/g, ' ')
    .replace(/（[^）]*）|\([^)]*\)/g, ' ')
    .replace(/\?[\w=&.,-]+/g, ' ')
    .replace(/\b\w+=/g, ' ')
    .replace(/\b[\w.-]+\.(ts|wgsl|json|md)\b/g, ' ');
  return [...stripped.matchAll(/\b[a-z]{4,}\b/g)].map((m) => m[0]).filter((w) => !ALLOWED.has(w));
}

/** Lower-case words the field writes in Latin letters in Chinese text too. */
const ALLOWED = new Set(['webgpu', 'softmax', 'float', 'dispatch', 'kernel', 'token', 'tokens']);
