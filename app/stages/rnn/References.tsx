// The papers this stage explains, with links (titles are the papers' own, not translated).

import { Section } from './parts';

const PAPERS = [
  {
    who: 'Elman',
    year: 1990,
    title: 'Finding structure in time',
    href: 'https://doi.org/10.1207/s15516709cog1402_1',
  },
  {
    who: 'Bengio, Simard, Frasconi',
    year: 1994,
    title: 'Learning long-term dependencies with gradient descent is difficult',
    href: 'https://doi.org/10.1109/72.279181',
  },
  {
    who: 'Hochreiter, Schmidhuber',
    year: 1997,
    title: 'Long short-term memory',
    href: 'https://doi.org/10.1162/neco.1997.9.8.1735',
  },
  {
    who: 'Gers, Schmidhuber, Cummins',
    year: 2000,
    title: 'Learning to forget: continual prediction with LSTM',
    href: 'https://doi.org/10.1162/089976600300015015',
  },
  {
    who: 'Pascanu, Mikolov, Bengio',
    year: 2013,
    title: 'On the difficulty of training recurrent neural networks',
    href: 'https://arxiv.org/abs/1211.5063',
  },
  {
    who: 'Jozefowicz, Zaremba, Sutskever',
    year: 2015,
    title: 'An empirical exploration of recurrent network architectures',
    href: 'https://proceedings.mlr.press/v37/jozefowicz15.html',
  },
] as const;

export function References() {
  return (
    <Section id="refs">
      <ul>
        {PAPERS.map((p) => (
          <li key={p.href}>
            {p.who} ({p.year}).{' '}
            <a href={p.href} lang="en">
              {p.title}
            </a>
            .
          </li>
        ))}
      </ul>
    </Section>
  );
}
