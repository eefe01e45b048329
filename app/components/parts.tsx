// Small pieces of markup the kit and the stages share: a table's row of column heads, a section of the
// page titled by its own heading (the stages' sections, the GPU panel, the kernel view), and a sequence or
// grid under its caption.

import type { ReactNode } from 'react';
import type { SymBinding } from './Sym';

/** The <thead> of a table: one column head per name, in order (names are distinct). */
export function ColumnHeads({ names }: { names: readonly string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A section of the page (class `section`) labelled by its <h3>, whose id is `headingId`. */
export function TitledSection({
  headingId,
  title,
  className,
  testId,
  children,
}: {
  headingId: string;
  title: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <section
      className={className ? `${className} section` : 'section'}
      data-testid={testId}
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>{title}</h3>
      {children}
    </section>
  );
}

/**
 * A sequence (`kind` seq) or a grid under its caption (class seq-label or grid-label), in a box that is
 * either linked to a symbol (`bind`, from useSym) or of class `className`.
 */
export function Captioned({
  caption,
  kind,
  bind,
  className,
  children,
}: {
  caption: ReactNode;
  kind: 'seq' | 'grid';
  bind?: SymBinding;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div {...(bind ?? { className })}>
      <div className={`${kind}-label`}>{caption}</div>
      {children}
    </div>
  );
}
