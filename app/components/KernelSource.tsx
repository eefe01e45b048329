// The "Kernel" view: pick one of the kernels a run dispatched and read the exact WGSL that ran
// (kernelCode(record)), with its files, entry point and override constants above it and the lines of
// interest marked. Rendered as text only (React escapes it; no HTML is injected). Also the loading of the
// WGSL that the GPU panel shares, for the workgroup sizes.

import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { type DispatchRecord, kernelCode } from '../../engine';
import { Trans, useTranslation } from '../i18n';
import type { StageRan } from '../stages/types';
import { TitledSection } from './parts';
import {
  fileStarts,
  type KernelVariant,
  kernelVariants,
  lineMarks,
  type MarkKind,
  tokenizeWgsl,
  workgroupSize,
} from '../diagrams/kernelSource';

const codes = new Map<string, Promise<string>>();
/** The WGSL of a variant, loaded once per distinct kernel (shader files load lazily in the browser). */
export function codeOf(v: Pick<KernelVariant, 'key' | 'record'>): Promise<string> {
  let hit = codes.get(v.key);
  if (!hit) {
    hit = kernelCode(v.record);
    codes.set(v.key, hit);
    hit.catch(() => codes.delete(v.key));
  }
  return hit;
}

/** Workgroup sizes by variant key, filled in as each kernel's WGSL arrives. */
export function useWorkgroupSizes(dispatches: readonly DispatchRecord[]) {
  const [sizes, setSizes] = useState<ReadonlyMap<string, [number, number, number] | null>>(new Map());
  useEffect(() => {
    let live = true;
    const variants = kernelVariants(dispatches);
    Promise.all(variants.map((v) => codeOf(v).catch(() => null))).then((texts) => {
      if (!live) return;
      const next = new Map<string, [number, number, number] | null>();
      variants.forEach((v, i) => {
        const code = texts[i];
        next.set(v.key, code === null ? null : workgroupSize(code, v.record.entryPoint, v.record.constants));
      });
      setSizes(next);
    });
    return () => {
      live = false;
    };
  }, [dispatches]);
  return sizes;
}

/** Keeps arrows, space and paging inside a focused scroll region instead of stepping the playback. */
export function keepScrollKeys(e: React.KeyboardEvent): void {
  if ([' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown'].includes(e.key))
    e.stopPropagation();
}

const GUTTER: Record<MarkKind, string> = { file: '§', entry: '▶', barrier: '‖', workgroupVar: '▣' };

function useCode(variant: KernelVariant | undefined) {
  const [state, setState] = useState<{ key: string; code: string | null; error: string | null } | null>(null);
  useEffect(() => {
    if (!variant) return;
    let live = true;
    codeOf(variant).then(
      (code) => live && setState({ key: variant.key, code, error: null }),
      (err) => live && setState({ key: variant.key, code: null, error: String(err?.message ?? err) }),
    );
    return () => {
      live = false;
    };
  }, [variant]);
  return state && variant && state.key === variant.key ? state : null;
}

function CodeView({ variant, code }: { variant: KernelVariant; code: string }) {
  const { t } = useTranslation('gpu', { keyPrefix: 'kernel' });
  const lines = useMemo(() => tokenizeWgsl(code), [code]);
  const marks = useMemo(() => lineMarks(lines, variant.record.entryPoint), [lines, variant]);
  const byLine = useMemo(() => {
    const m = new Map<number, MarkKind[]>();
    for (const mark of marks) m.set(mark.line, [...(m.get(mark.line) ?? []), mark.kind]);
    return m;
  }, [marks]);
  const pre = useRef<HTMLPreElement>(null);
  const lineEls = useRef(new Map<number, HTMLElement>());
  const firstFile = fileStarts(marks)[0]?.line ?? 1;
  const { record } = variant;
  const constants = Object.entries(record.constants);
  const show = (line: number) => {
    const el = lineEls.current.get(line);
    if (el && pre.current) pre.current.scrollTop = el.offsetTop - pre.current.clientHeight / 3;
  };
  return (
    <>
      <dl className="kernel-meta">
        <dt>{t('files')}</dt>
        <dd>
          <ul className="kernel-files">
            {firstFile > 1 && <li>{t('generated')}</li>}
            {record.sources.map((s) => (
              <li key={s}>
                <code>shaders/{s}</code>
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('entry')}</dt>
        <dd>
          <code>{record.entryPoint}</code>
        </dd>
        <dt>{t('constants')}</dt>
        <dd>
          {constants.length === 0
            ? t('noConstants')
            : constants.map(([k, v]) => (
                <code key={k} className="kernel-constant">
                  {k} = {v}
                </code>
              ))}
        </dd>
      </dl>
      <details className="kernel-marks">
        <summary>{t('marks', { n: marks.length })}</summary>
        <ul>
          {marks.map((m) => (
            <li key={`${m.line}-${m.kind}-${m.detail}`}>
              <button type="button" className="linklike" onClick={() => show(m.line)}>
                <span aria-hidden="true">{GUTTER[m.kind]} </span>
                <Trans
                  t={t}
                  i18nKey={`mark.${m.kind}`}
                  values={{ line: m.line, detail: m.detail }}
                  components={{ c: <code /> }}
                />
              </button>
            </li>
          ))}
        </ul>
      </details>
      {/* biome-ignore lint/a11y/useSemanticElements: <pre> keeps the code's whitespace; the role names it a region */}
      <pre
        ref={pre}
        className="kernel-code"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        role="region"
        aria-label={t('region', { label: record.label, entry: record.entryPoint, lines: lines.length })}
        onKeyDown={keepScrollKeys}
      >
        <code>
          {lines.map((tokens, i) => {
            const n = i + 1;
            const kinds = byLine.get(n);
            return (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are positions in fixed text
                key={i}
                className={kinds ? `kl ${kinds.map((k) => `kl-${k}`).join(' ')}` : 'kl'}
                ref={
                  kinds
                    ? (el) => void (el ? lineEls.current.set(n, el) : lineEls.current.delete(n))
                    : undefined
                }
              >
                <span className="kl-no" aria-hidden="true">
                  {kinds ? GUTTER[kinds[0]] : ' '}
                  {String(n).padStart(4)}{' '}
                </span>
                {tokens.map((tok, j) =>
                  tok.kind === 'text' ? (
                    tok.text
                  ) : (
                    // biome-ignore lint/suspicious/noArrayIndexKey: tokens are positions in fixed text
                    <span key={j} className={`tk-${tok.kind}`}>
                      {tok.text}
                    </span>
                  ),
                )}
                {'\n'}
              </span>
            );
          })}
        </code>
      </pre>
    </>
  );
}

export function KernelSource({ ran }: { ran: StageRan | null }) {
  const { t } = useTranslation('gpu', { keyPrefix: 'kernel' });
  const id = useId();
  const dispatches = ran?.backend === 'webgpu' ? ran.dispatches : null;
  const variants = useMemo(() => (dispatches ? kernelVariants(dispatches) : []), [dispatches]);
  const [picked, setPicked] = useState<{ label: string; entry: string; key: string } | null>(null);
  const variant =
    variants.find((v) => v.key === picked?.key) ??
    variants.find((v) => v.record.label === picked?.label && v.record.entryPoint === picked?.entry) ??
    variants[0];
  const loaded = useCode(variant);
  let body: React.ReactNode;
  if (!ran) body = <p className="placeholder">{t('pending')}</p>;
  else if (ran.backend === 'cpu') body = <p data-testid="kernel-source-cpu">{t('cpu')}</p>;
  else if (!variant) body = <p>{t('none')}</p>;
  else
    body = (
      <>
        <p className="kernel-pick">
          <label htmlFor={`${id}-pick`}>{t('pick')}</label>{' '}
          <select
            id={`${id}-pick`}
            data-testid="kernel-pick"
            value={variant.key}
            onChange={(e) => {
              const v = variants.find((x) => x.key === e.target.value);
              if (v) setPicked({ label: v.record.label, entry: v.record.entryPoint, key: v.key });
            }}
          >
            {variants.map((v) => (
              <option key={v.key} value={v.key}>
                {t(v.indices.length === 1 ? 'option' : 'optionMany', {
                  count: v.indices.length,
                  label: v.record.label,
                  entry: v.record.entryPoint,
                  first: v.indices[0] + 1,
                })}
              </option>
            ))}
          </select>
        </p>
        {loaded?.code != null ? (
          <CodeView variant={variant} code={loaded.code} />
        ) : loaded?.error ? (
          <p className="error">{t('failed', { error: loaded.error })}</p>
        ) : (
          <p className="placeholder">{t('loading')}</p>
        )}
      </>
    );
  return (
    <TitledSection
      headingId={`${id}-title`}
      className="kernel-source"
      testId="kernel-source"
      title={t('title')}
    >
      {body}
    </TitledSection>
  );
}
