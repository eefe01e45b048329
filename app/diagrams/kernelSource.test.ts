// The Kernel view's helpers on real WGSL of the tree (read through the same bundled loader the site uses)
// and on hand-written edge cases: the tokenizer gives every line back, marks skip comments, workgroup
// sizes resolve through override constants, and variants fold dispatches that ran the same kernel.

import { beforeAll, describe, expect, it } from 'vitest';
import { kernelCode, loadBundledShaders } from '../../engine';
import { kernelVariants, lineMarks, tokenizeWgsl, workgroupSize } from './kernelSource';
import { testRecord } from './testRecord';

const joined = (code: string) =>
  tokenizeWgsl(code)
    .map((l) => l.map((t) => t.text).join(''))
    .join('\n');

beforeAll(() => loadBundledShaders());

describe('tokenizeWgsl', () => {
  it('gives back every line of real kernels exactly, with keywords, attributes and comments found', async () => {
    for (const sources of [
      ['common/trace.wgsl', 's4/ssmScan.wgsl'],
      ['s4/denseDisc.wgsl', 's4/discretizeDense.wgsl'],
      [
        'common/math.wgsl',
        'common/trace.wgsl',
        'common/grid.wgsl',
        's4/fftConvParams.wgsl',
        's4/fftConv.wgsl',
      ],
    ]) {
      const code = await kernelCode({ sources, prelude: 'const T_X: u32 = 3u;\n' });
      const lines = tokenizeWgsl(code);
      expect(lines.length).toBe(code.split('\n').length);
      expect(joined(code)).toBe(code);
      const kinds = new Set(lines.flat().map((t) => t.kind));
      for (const k of ['comment', 'keyword', 'attribute', 'number', 'text']) expect(kinds).toContain(k);
    }
  });

  it('keeps nested block comments, comment text that looks like code, and numbers with suffixes apart', () => {
    const code = 'let a = 1.5e3f; /* outer /* inner */ fn still */ var b = 0x1Fu; // fn c()\n@compute fn d';
    const [first, second] = tokenizeWgsl(code);
    expect(first.filter((t) => t.kind === 'comment').map((t) => t.text)).toEqual([
      '/* outer /* inner */ fn still */',
      '// fn c()',
    ]);
    expect(first.filter((t) => t.kind === 'number').map((t) => t.text)).toEqual(['1.5e3f', '0x1Fu']);
    expect(first.filter((t) => t.kind === 'keyword').map((t) => t.text)).toEqual(['let', 'var']);
    expect(second.map((t) => [t.kind, t.text])).toEqual([
      ['attribute', '@compute'],
      ['text', ' '],
      ['keyword', 'fn'],
      ['text', ' d'],
    ]);
    expect(joined(code)).toBe(code);
  });

  it('carries a block comment over line ends and returns one empty line for empty code', () => {
    expect(tokenizeWgsl('')).toEqual([[]]);
    const lines = tokenizeWgsl('x /* a\nb */ y');
    expect(lines[1]).toEqual([
      { kind: 'comment', text: 'b */' },
      { kind: 'text', text: ' y' },
    ]);
  });
});

describe('lineMarks', () => {
  it('marks each source file, the entry fn, barriers and workgroup variables of the dense discretization', async () => {
    const sources = ['s4/denseDisc.wgsl', 's4/discretizeDense.wgsl'];
    const code = await kernelCode({ sources });
    const text = code.split('\n');
    const marks = lineMarks(tokenizeWgsl(code), 'zoh');
    const at = (kind: string) => marks.filter((m) => m.kind === kind);
    expect(at('file').map((m) => m.detail)).toEqual(sources);
    const [entry] = at('entry');
    expect(at('entry')).toHaveLength(1);
    expect(text[entry.line - 1]).toMatch(/^\s*fn zoh\s*\(/);
    const declared = [...code.matchAll(/^var<workgroup>\s+(\w+)/gm)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(0);
    expect(at('workgroupVar').map((m) => m.detail)).toEqual(declared);
    for (const m of at('barrier')) expect(text[m.line - 1]).toContain(`${m.detail}(`);
    const callLines = text.filter((l) => /^[^/]*\b(workgroupBarrier|storageBarrier)\(/.test(l)).length;
    expect(callLines).toBeGreaterThan(0);
    expect(at('barrier').length).toBeGreaterThanOrEqual(callLines);
  });

  it('ignores barriers, declarations and entry names that only appear in comments', () => {
    const code = [
      '// workgroupBarrier(); var<workgroup> fake: f32; fn main(',
      '/* fn main( */ var<workgroup> tile: array<f32, 64>;',
      'fn mainly() {}',
      '@compute @workgroup_size(64) fn main() { workgroupBarrier(); storageBarrier(); }',
    ].join('\n');
    const marks = lineMarks(tokenizeWgsl(code), 'main');
    expect(marks.map((m) => [m.line, m.kind, m.detail])).toEqual([
      [2, 'workgroupVar', 'tile'],
      [4, 'entry', 'main'],
      [4, 'barrier', 'workgroupBarrier'],
      [4, 'barrier', 'storageBarrier'],
    ]);
  });
});

describe('workgroupSize', () => {
  it('reads the real scan kernel at its default and at an override constant', async () => {
    const code = await kernelCode({ sources: ['common/trace.wgsl', 's4/ssmScan.wgsl'] });
    const wg = /override WG: u32 = (\d+)u;/.exec(code);
    expect(wg).not.toBeNull();
    expect(workgroupSize(code, 'main', {})).toEqual([Number(wg?.[1]), 1, 1]);
    expect(workgroupSize(code, 'main', { WG: 32 })).toEqual([32, 1, 1]);
  });

  it('resolves literals, 2-D sizes, products of names and picks the named entry of several', () => {
    const code = [
      'override TS: u32 = 8u;',
      'const NB = 4;',
      '@compute @workgroup_size(TS, TS) fn tiles() {}',
      '@compute @workgroup_size(TPC * NB, 2u)',
      'fn chunked() {}',
      '@compute @workgroup_size(64u) fn flat() {}',
    ].join('\n');
    expect(workgroupSize(code, 'tiles', {})).toEqual([8, 8, 1]);
    expect(workgroupSize(code, 'tiles', { TS: 16 })).toEqual([16, 16, 1]);
    expect(workgroupSize(code, 'chunked', { TPC: 32 })).toEqual([128, 2, 1]);
    expect(workgroupSize(code, 'flat', {})).toEqual([64, 1, 1]);
  });

  it('says null for an unknown name, an expression it does not evaluate, a missing entry or attribute', () => {
    const code = [
      '@compute @workgroup_size(TPC * NB) fn a() {}',
      '@compute @workgroup_size(WG / 2) fn b() {}',
      'fn c() {}',
    ].join('\n');
    expect(workgroupSize(code, 'a', { TPC: 32 })).toBeNull();
    expect(workgroupSize(code, 'b', { WG: 64 })).toBeNull();
    expect(workgroupSize(code, 'c', {})).toBeNull();
    expect(workgroupSize(code, 'nowhere', {})).toBeNull();
  });
});

describe('kernelVariants', () => {
  it('folds dispatches of one kernel and keeps different constants or entry points apart, in run order', () => {
    const pass = testRecord({ label: 'fft.pass', sources: ['s4/fftConv.wgsl'], constants: { WG: 64 } });
    const d = [
      testRecord({ label: 'disc', entryPoint: 'zoh' }),
      pass,
      { ...pass, workgroups: [2, 1, 1] as [number, number, number] },
      testRecord({ label: 'disc', entryPoint: 'bilinear' }),
      { ...pass, constants: { WG: 64, TRACE: 1 } },
      pass,
    ];
    const v = kernelVariants(d);
    expect(v.map((x) => [x.record.label, x.record.entryPoint, x.indices])).toEqual([
      ['disc', 'zoh', [0]],
      ['fft.pass', 'main', [1, 2, 5]],
      ['disc', 'bilinear', [3]],
      ['fft.pass', 'main', [4]],
    ]);
    expect(kernelVariants([])).toEqual([]);
  });
});
