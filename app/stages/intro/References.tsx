// The papers behind the stages, with links; titles as published, what each brought in the reader's language.

import { useTranslation } from '../../i18n';
import { PAPERS } from './papers';

export function References() {
  const { t } = useTranslation('intro');
  return (
    <ul className="references" data-testid="references">
      {PAPERS.map((p) => (
        <li key={p.id}>
          <span lang="en">
            {p.authors} ({p.year}). <a href={p.href}>{p.title}</a>.
          </span>{' '}
          <span>{t(`papers.${p.id}`)}</span>
        </li>
      ))}
    </ul>
  );
}
