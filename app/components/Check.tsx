// A live equivalence check: max |difference| between two forms next to its tolerance.
// Test contract: data-testid="check-<name>", data-maxerr (a number) and data-ok (true/false).

export interface CheckProps {
  name: string;
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
  const ok = maxErr <= tolerance;
  return (
    <output
      className={`check ${pending ? 'check-pending' : ok ? 'check-ok' : 'check-bad'}`}
      data-testid={`check-${name}`}
      data-maxerr={String(maxErr)}
      data-ok={String(ok)}
    >
      <span className="check-mark" aria-hidden="true">
        {pending ? '…' : ok ? '✓' : '✗'}
      </span>
      <span>
        {label}:{' '}
        {pending ?? (
          <>
            max |difference| = <b>{formatErr(maxErr)}</b> (tolerance {formatErr(tolerance)})
          </>
        )}
      </span>
    </output>
  );
}
