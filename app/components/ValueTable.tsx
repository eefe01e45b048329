// The table alternative of a diagram: every value it draws, as a real table (for screen readers, for
// copying, for readers who want the digits), folded under a summary so it costs no space until opened.

import { useState } from 'react';
import { formatNumber, useTranslation } from '../i18n';

export interface ValueTableProps {
  caption: string;
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  rowName?: (r: number) => string;
  colName?: (c: number) => string;
  testId?: string;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return '';
  return formatNumber(v, { maximumSignificantDigits: 5 });
}

export function ValueTable({ caption, values, rows, cols, rowName, colName, testId }: ValueTableProps) {
  const { t } = useTranslation('common');
  // The table is built only while open: a closed one costs nothing, however many values it holds.
  const [open, setOpen] = useState(false);
  return (
    <details className="value-table" data-testid={testId} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('values.table')}</summary>
      {open && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls inside a focusable region.
        <section className="scroll-region" tabIndex={0} aria-label={caption}>
          <table>
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t('values.row')}</span>
                </th>
                {Array.from({ length: cols }, (_, c) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positions.
                  <th key={c} scope="col">
                    {colName ? colName(c) : c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: rows }, (_, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions.
                <tr key={r}>
                  <th scope="row">{rowName ? rowName(r) : r}</th>
                  {Array.from({ length: cols }, (_, c) => {
                    const v = values[r * cols + c];
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells are positions.
                      <td key={c}>{Number.isNaN(v) ? '–' : formatValue(v)}</td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </details>
  );
}
