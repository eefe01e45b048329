// Small pieces of markup the kit's panels and tables share: a table's row of column heads, and a section
// of the page titled by its own heading (the GPU panel, the kernel view).

import type { ReactNode } from 'react';

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

/** A page section labelled by its <h3> (`${id}-title`), e.g. `<TitledSection id={useId()} …>`. */
export function TitledSection({
  id,
  className,
  testId,
  title,
  children,
}: {
  id: string;
  className: string;
  testId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section className={`${className} section`} data-testid={testId} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
    </section>
  );
}
