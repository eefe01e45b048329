// A live equivalence check: max |difference| between two forms next to its tolerance.
// Test contract: data-testid="check-<name>", data-maxerr (a number) and data-ok (true/false).
// Not a live region itself: the Narrator announces a check only when its verdict changes.

import { Trans, useTranslation } from '../i18n';

export interface CheckProps {
  name: string;
  /** Already in the reader's language (the stage's catalog). */
  label: string;
  maxErr: number;
  tolerance: number;
  /** Shown instead of the numbers while there is nothing to compare yet. */
  pending?: string;
}

export function formatErr(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v === 0 ? '0' : v.toExponential(1);
}

export function Check({ name, label, maxErr, tolerance, pending }: CheckProps) {
  const { t } = useTranslation('common');
  const ok = maxErr <= tolerance;
  return (
    <p
      className={`check ${pending ? 'check-pending' : ok ? 'check-ok' : 'check-bad'}`}
      data-testid={`check-${name}`}
      data-maxerr={String(maxErr)}
      data-ok={String(ok)}
      data-label={label}
    >
      <span className="check-mark" aria-hidden="true">
        {pending ? '…' : ok ? '✓' : '✗'}
      </span>
      <span>
        {pending ? (
          t('check.pending', { label, pending })
        ) : (
          <Trans
            t={t}
            i18nKey="check.result"
            values={{ label, err: formatErr(maxErr), tol: formatErr(tolerance) }}
            components={{ b: <b /> }}
          />
        )}
        <span className="visually-hidden"> ({ok ? t('check.ok') : t('check.bad')})</span>
      </span>
    </p>
  );
}

/**
 * The check-gpu-cpu of a stage (its GPU run against the float64 CPU reference), which only a WebGPU run
 * has; without one a sentence (`none`) says there is nothing to compare.
 */
export function GpuCpuCheck({
  value,
  label,
  none,
}: {
  value: { maxErr: number; tolerance: number } | null;
  label: string;
  none: string;
}) {
  if (!value) return <p className="small">{none}</p>;
  return <Check name="gpu-cpu" label={label} maxErr={value.maxErr} tolerance={value.tolerance} />;
}
