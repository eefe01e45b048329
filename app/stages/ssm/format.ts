// Numbers as the ssm views print them in text: three decimals in the reader's language, a true minus
// sign, and "…" for a value not read back yet.

import { formatNumber } from '../../i18n';

export function fmt3(v: number): string {
  if (!Number.isFinite(v)) return '…';
  return formatNumber(v, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).replace('-', '−');
}
