// The recurrence unrolled over the reader's tokens: one column per step, each state row a strip of H
// coloured cells read back by the stepper (h_0 = 0 first), arrows for what each state is computed from
// (W from the state before, U from the token), and for the LSTM the cell state on a conveyor belt. The
// SVG is focusable: arrows move a cursor over (state, unit, step), the readout says the value, and a table
// follows. Symbols W, U, x, h, c are linked to the math.

import { ArrowMarker, FigureSvg, Readout } from '../../components/Figure';
import { useSym } from '../../components/Sym';
import { useCellCursor } from '../../components/useCellCursor';
import { formatValue, ValueTable } from '../../components/ValueTable';
import { layoutMatrixGrid } from '../../diagrams/matrixGrid';
import { useTranslation } from '../../i18n';
import { tokensLang } from './lang';
import { chainLayout } from './layout';

export interface ChainRow {
  /** The linked symbol (h or c) and the readout's letter. */
  sym: string;
  /** (H, T) values of steps 1..T, NaN where not read back yet. */
  values: ArrayLike<number>;
}

interface Props {
  tokens: readonly string[];
  rows: readonly ChainRow[];
  H: number;
  /** Steps shown so far (0..T): column k is the current one. */
  k: number;
  /** Draw the first row as the LSTM's conveyor belt. */
  belt?: boolean;
  /** 0-based index of the perturbed token, marked under its column. */
  perturbed?: number;
  label: string;
  testId?: string;
}

const short = (tok: string) => (tok.length > 7 ? `${tok.slice(0, 6)}…` : tok);

export function UnrolledChain({ tokens, rows, H, k, belt, perturbed, label, testId }: Props) {
  const { t } = useTranslation('common');
  const T = tokens.length;
  const g = chainLayout(T, H, rows.length);
  const cursor = useCellCursor(rows.length * H, T);
  const W = useSym('W');
  const U = useSym('U');
  const x = useSym('x');
  const syms = { h: useSym('h'), c: useSym('c') };
  // Colours of every strip from the kit's grid scale, one extent over all rows so they compare.
  const extent = Math.max(
    1e-6,
    ...rows.flatMap((r) => Array.from(r.values, (v) => (Number.isFinite(v) ? Math.abs(v) : 0))),
  );
  const fills = rows.map((r) => {
    const withZero = Float64Array.from({ length: H * (T + 1) }, (_, i) => {
      const j = Math.floor(i / (T + 1));
      const col = i % (T + 1);
      return col === 0 ? 0 : r.values[j * T + col - 1];
    });
    return layoutMatrixGrid(withZero, H, T + 1, { cell: 1, extent }).cells.map((c) => c.fill);
  });
  const picked = cursor.cell;
  const pickedRow = picked ? rows[Math.floor(picked.r / H)] : null;
  const nameOf = (r: number, col: number) => `${rows[Math.floor(r / H)].sym}_${col + 1}[${(r % H) + 1}]`;
  const mid = (r: number) => g.rowY(r) + g.stripH / 2;
  const bottom = rows.length - 1;
  return (
    <div className="readable chain">
      <FigureSvg
        width={g.width}
        height={g.height}
        label={label}
        testId={testId}
        cursor={cursor}
        onPick={(x, y) => {
          const col = Math.floor(x / g.colW) - 1;
          const r = rows.findIndex((_, i) => y < g.rowY(i) + g.stripH + 4);
          const row = r < 0 ? bottom : r;
          const j = Math.floor((y - g.rowY(row)) / g.cellH);
          cursor.pick(row * H + Math.min(H - 1, Math.max(0, j)), Math.max(0, col));
        }}
      >
        <defs>
          <ArrowMarker id="chain-arrow" size={6} />
        </defs>
        {belt && (
          <rect className="belt" x={g.cx(0)} y={mid(0) - 5} width={g.cx(T) - g.cx(0)} height={10} rx={5} />
        )}
        <rect
          className="chain-now"
          x={g.cx(k) - g.colW / 2 + 2}
          y={2}
          width={g.colW - 4}
          height={g.height - 4}
          rx={6}
        />
        {rows.map((row, r) => (
          <g key={row.sym} {...(syms[row.sym as 'h' | 'c'] ?? syms.h).bind}>
            {Array.from({ length: T + 1 }, (_, col) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are steps.
              <g key={col} transform={`translate(${g.cx(col) - g.stripW / 2},${g.rowY(r)})`}>
                {Array.from({ length: H }, (_, j) => (
                  <rect
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are units.
                    key={j}
                    y={j * g.cellH}
                    width={g.stripW}
                    height={g.cellH}
                    style={{ fill: fills[r][j * (T + 1) + col] }}
                  />
                ))}
                <rect className="strip-frame" width={g.stripW} height={g.stripH} />
              </g>
            ))}
            <text
              x={g.cx(0) - g.stripW / 2 - 3}
              y={mid(r)}
              dy="0.35em"
              textAnchor="end"
              className="token muted"
            >
              {`${row.sym}₀`}
            </text>
          </g>
        ))}
        <g {...W.bind}>
          {rows.map((row, r) =>
            Array.from({ length: T }, (_, i) => (
              <line
                // biome-ignore lint/suspicious/noArrayIndexKey: arrows are steps.
                key={`${row.sym}-${i}`}
                className={`chain-arrow ${i < k ? 'done' : ''}`}
                x1={g.cx(i) + g.stripW / 2 + 2}
                x2={g.cx(i + 1) - g.stripW / 2 - 2}
                y1={mid(r)}
                y2={mid(r)}
                markerEnd="url(#chain-arrow)"
              />
            )),
          )}
        </g>
        <g {...U.bind}>
          {tokens.map((tok, i) => (
            <line
              // biome-ignore lint/suspicious/noArrayIndexKey: arrows are steps.
              key={`${tok}-${i}`}
              className={`chain-arrow ${i < k ? 'done' : ''}`}
              x1={g.cx(i + 1)}
              x2={g.cx(i + 1)}
              y1={g.tokenY - 14}
              y2={g.rowY(bottom) + g.stripH + 3}
              markerEnd="url(#chain-arrow)"
            />
          ))}
        </g>
        <g {...x.bind} lang={tokensLang(tokens)}>
          {tokens.map((tok, i) => (
            <text
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; a label's identity is its step.
              key={`${tok}-${i}`}
              x={g.cx(i + 1)}
              y={g.tokenY}
              textAnchor="middle"
              className={i === perturbed ? 'token perturbed' : 'token'}
            >
              {short(tok)}
            </text>
          ))}
        </g>
        {picked && (
          <rect
            className="cell-cursor"
            x={g.cx(picked.c + 1) - g.stripW / 2 - 1}
            y={g.rowY(Math.floor(picked.r / H)) + (picked.r % H) * g.cellH - 1}
            width={g.stripW + 2}
            height={g.cellH + 2}
          />
        )}
      </FigureSvg>
      <Readout>
        {picked && pickedRow
          ? t('values.readout', {
              name: nameOf(picked.r, picked.c),
              value: Number.isNaN(pickedRow.values[(picked.r % H) * T + picked.c])
                ? t('values.notYet')
                : formatValue(pickedRow.values[(picked.r % H) * T + picked.c]),
            })
          : ''}
      </Readout>
      <ValueTable
        caption={label}
        values={Float64Array.from({ length: rows.length * H * T }, (_, i) => {
          const r = Math.floor(i / (H * T));
          return rows[r].values[i % (H * T)];
        })}
        rows={rows.length * H}
        cols={T}
        rowName={(r) => `${rows[Math.floor(r / H)].sym}[${(r % H) + 1}]`}
        colName={(c) => `t = ${c + 1}`}
        testId={testId ? `${testId}-table` : undefined}
      />
    </div>
  );
}
