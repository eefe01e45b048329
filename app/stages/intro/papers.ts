// The papers the stages explain, with links. Titles stay in their language of publication (rendered with
// lang="en"); what each one brought is in the stage's catalogs under papers.<id>.

export interface Paper {
  id: string;
  authors: string;
  year: number;
  title: string;
  href: string;
}

export const PAPERS: readonly Paper[] = [
  {
    id: 'elman',
    authors: 'Elman',
    year: 1990,
    title: 'Finding Structure in Time',
    href: 'https://doi.org/10.1207/s15516709cog1402_1',
  },
  {
    id: 'lstm',
    authors: 'Hochreiter, Schmidhuber',
    year: 1997,
    title: 'Long Short-Term Memory',
    href: 'https://doi.org/10.1162/neco.1997.9.8.1735',
  },
  {
    id: 'transformer',
    authors: 'Vaswani et al.',
    year: 2017,
    title: 'Attention Is All You Need',
    href: 'https://arxiv.org/abs/1706.03762',
  },
  {
    id: 'flash',
    authors: 'Dao, Fu, Ermon, Rudra, Ré',
    year: 2022,
    title: 'FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness',
    href: 'https://arxiv.org/abs/2205.14135',
  },
  {
    id: 'flash2',
    authors: 'Dao',
    year: 2023,
    title: 'FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning',
    href: 'https://arxiv.org/abs/2307.08691',
  },
  {
    id: 'linear',
    authors: 'Katharopoulos, Vyas, Pappas, Fleuret',
    year: 2020,
    title: 'Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention',
    href: 'https://arxiv.org/abs/2006.16236',
  },
  {
    id: 'retnet',
    authors: 'Sun et al.',
    year: 2023,
    title: 'Retentive Network: A Successor to Transformer for Large Language Models',
    href: 'https://arxiv.org/abs/2307.08621',
  },
  {
    id: 'gla',
    authors: 'Yang, Wang, Shen, Panda, Kim',
    year: 2023,
    title: 'Gated Linear Attention Transformers with Hardware-Efficient Training',
    href: 'https://arxiv.org/abs/2312.06635',
  },
  {
    id: 'rwkv',
    authors: 'Peng et al.',
    year: 2023,
    title: 'RWKV: Reinventing RNNs for the Transformer Era',
    href: 'https://arxiv.org/abs/2305.13048',
  },
  {
    id: 'hippo',
    authors: 'Gu, Dao, Ermon, Rudra, Ré',
    year: 2020,
    title: 'HiPPO: Recurrent Memory with Optimal Polynomial Projections',
    href: 'https://arxiv.org/abs/2008.07669',
  },
  {
    id: 's4',
    authors: 'Gu, Goel, Ré',
    year: 2021,
    title: 'Efficiently Modeling Long Sequences with Structured State Spaces',
    href: 'https://arxiv.org/abs/2111.00396',
  },
  {
    id: 's4d',
    authors: 'Gu, Gupta, Goel, Ré',
    year: 2022,
    title: 'On the Parameterization and Initialization of Diagonal State Space Models',
    href: 'https://arxiv.org/abs/2206.11893',
  },
  {
    id: 'mamba',
    authors: 'Gu, Dao',
    year: 2023,
    title: 'Mamba: Linear-Time Sequence Modeling with Selective State Spaces',
    href: 'https://arxiv.org/abs/2312.00752',
  },
  {
    id: 'mamba2',
    authors: 'Dao, Gu',
    year: 2024,
    title:
      'Transformers are SSMs: Generalized Models and Efficient Algorithms Through Structured State Space Duality',
    href: 'https://arxiv.org/abs/2405.21060',
  },
];
