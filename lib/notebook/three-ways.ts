/**
 * The three-way comparison of notebook 11: per article method, the article's published times,
 * CPython on this machine and Node.js on this machine — Node's list with the method's analog codec
 * and with `packed` where the method carries bytes — with Node ÷ CPython as a ratio of medians and
 * its 95 % confidence interval (Welch's t-test on log times, lib/sweep/compare.ts). A sentence
 * states a difference only where the interval excludes 1.
 */
import { formatSeconds, formatSize } from '../model/format';
import { transportLabel } from '../model/record';
import type { Runtime, TransferRecord } from '../model/types';
import { compareSamples, type SampleComparison } from '../sweep/compare';
import { articleSummary } from './article';
import { frameToRows } from './dataframe';
import { type FailureMark, failureReason } from './figure-notes';
import { type FigureSpec, groupedBarFigure } from './figures';
import { RUNTIME_COLORS, shadesOf } from './palette';
import { NODE_FOR_ARTICLE_METHOD, phaseMedians } from './report';

/** One row of the three-way table: a method at a size, the article, CPython here, Node here. */
export type ThreeWayRow = Record<string, string | number | null> & { method: string; elements: string; sizeElements: number };

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The measured totals of one runtime, transport label, payload and size, in seconds. */
function totals(records: readonly TransferRecord[], runtime: Runtime, label: string, payload: string, size: number): number[] {
  return records
    .filter(
      (r) => r.ok && !r.warmup && r.runtime === runtime && transportLabel(r) === label && r.payload === payload && r.sizeElements === size,
    )
    .map((r) => r.totalSeconds)
    .filter((t): t is number => t !== null && t > 0);
}

/** Node ÷ CPython for two samples: the comparison, or null when either side has no measurement. */
function nodeOverCpython(cpython: readonly number[], node: readonly number[]): SampleComparison | null {
  return cpython.length > 0 && node.length > 0 ? compareSamples(cpython, node) : null;
}

/** "0.81–1.10", or "needs ≥ 2 repeats" when the test could not be made. */
function interval(c: SampleComparison | null): string | null {
  if (c === null) return null;
  if (c.ciLow === null || c.ciHigh === null) return 'needs ≥ 2 repeats';
  return `${c.ciLow.toFixed(2)}–${c.ciHigh.toFixed(2)}`;
}

/**
 * Per article method and CPython size: the article's published times, CPython here, Node here —
 * the list with the method's analog codec and, where the method carries bytes, `packed` (the list
 * as int32 bytes, rebuilt as a real array) — the Int32Array where the records have it, and Node ÷
 * CPython for the list with its confidence interval, for the analog and for Node's fastest codec.
 */
export function threeWayRows(cpythonRecords: readonly TransferRecord[], nodeRecords: readonly TransferRecord[]): ThreeWayRow[] {
  const all = [...cpythonRecords, ...nodeRecords];
  const m = frameToRows(phaseMedians(all));
  const get = (runtime: Runtime, label: string, payload: string, size: number, col: string) =>
    numberOrNull(
      // phaseMedians names each row by its transport label (`pipe`, `pipe/packed`).
      m.find((r) => r.runtime === runtime && r.transport === label && r.payload === payload && r.sizeElements === size)?.[col],
    );
  const sizes = [...new Set(cpythonRecords.map((r) => r.sizeElements))].sort((a, b) => a - b);
  return sizes.flatMap((size) =>
    articleSummary().map((a) => {
      const nodeId = NODE_FOR_ARTICLE_METHOD[a.method];
      const cpy = totals(all, 'cpython', a.transport, 'list', size);
      const analog = nodeOverCpython(cpy, totals(all, 'node', nodeId, 'list', size));
      const packed = nodeOverCpython(cpy, totals(all, 'node', `${nodeId}/packed`, 'list', size));
      const fastest = packed !== null && (analog === null || packed.medianBSeconds < analog.medianBSeconds) ? packed : analog;
      return {
        method: a.method,
        elements: formatSize(size),
        sizeElements: size,
        'article send': size === a.sizeElements ? a.sendSeconds : null,
        'article recv': size === a.sizeElements ? a.recvSeconds : null,
        'CPython send': get('cpython', a.transport, 'list', size, 'sendSeconds'),
        'CPython recv': get('cpython', a.transport, 'list', size, 'recvSeconds'),
        'CPython total': get('cpython', a.transport, 'list', size, 'totalSeconds'),
        'Node transport': nodeId,
        'Node send': get('node', nodeId, 'list', size, 'sendSeconds'),
        'Node recv': get('node', nodeId, 'list', size, 'recvSeconds'),
        'Node total': get('node', nodeId, 'list', size, 'totalSeconds'),
        'Node packed total': get('node', `${nodeId}/packed`, 'list', size, 'totalSeconds'),
        'Node Int32Array total': get('node', nodeId, 'int32', size, 'totalSeconds'),
        'Node ÷ CPython (list)': analog?.ratio ?? null,
        '95% CI': interval(analog),
        'fastest Node codec': fastest === null ? null : fastest === packed ? 'packed' : 'analog',
        'fastest Node ÷ CPython': fastest?.ratio ?? null,
        'fastest 95% CI': interval(fastest),
      };
    }),
  );
}

/**
 * Grouped bars at the largest CPython size: article send + recv, CPython total, Node totals (the
 * list with its analog codec and packed, the Int32Array), in the runtimes' colours
 * (lib/notebook/palette.ts). Pass the records to name why a bar is missing.
 */
export function threeWayFigure(rows: readonly ThreeWayRow[], records: readonly TransferRecord[] = []): FigureSpec {
  const top = Math.max(...rows.map((r) => r.sizeElements));
  const at = rows.filter((r) => r.sizeElements === top);
  const articleSum = (r: ThreeWayRow) =>
    typeof r['article send'] === 'number' && typeof r['article recv'] === 'number' ? r['article send'] + r['article recv'] : null;
  const nodeList = RUNTIME_COLORS.node;
  const [nodePacked, , nodeInt32] = shadesOf(RUNTIME_COLORS.node, 3);
  const series = [
    { name: 'article send + recv (Python 3.7, published)', values: at.map(articleSum), style: { color: RUNTIME_COLORS.article } },
    { name: 'CPython here: total', values: at.map((r) => numberOrNull(r['CPython total'])), style: { color: RUNTIME_COLORS.cpython } },
    { name: 'Node.js here: total, list', values: at.map((r) => numberOrNull(r['Node total'])), style: { color: nodeList } },
    {
      name: 'Node.js here: total, list packed',
      values: at.map((r) => numberOrNull(r['Node packed total'])),
      style: { color: nodePacked, pattern: '.' as const },
    },
    {
      name: 'Node.js here: total, Int32Array',
      values: at.map((r) => numberOrNull(r['Node Int32Array total'])),
      style: { color: nodeInt32, pattern: '/' as const },
    },
  ];
  const cpythonId = (row: ThreeWayRow) => articleSummary().find((a) => a.method === row.method)?.transport;
  // Which records each series draws, to find why a bar is missing.
  const sources: (((r: TransferRecord, row: ThreeWayRow) => boolean) | null)[] = [
    null,
    (r, row) => r.runtime === 'cpython' && r.payload === 'list' && r.transport === cpythonId(row),
    (r, row) => r.runtime === 'node' && r.payload === 'list' && transportLabel(r) === row['Node transport'],
    (r, row) => r.runtime === 'node' && r.payload === 'list' && transportLabel(r) === `${row['Node transport']}/packed`,
    (r, row) => r.runtime === 'node' && r.payload === 'int32' && transportLabel(r) === row['Node transport'],
  ];
  const failures: FailureMark[] = series.flatMap((s, i) =>
    at.flatMap((row, j) => {
      if (s.values[j] !== null) return [];
      const pick = sources[i];
      const failed = pick ? records.find((r) => !r.ok && r.sizeElements === top && pick(r, row)) : undefined;
      const reason = failed
        ? failureReason(failed)
        : i === 0
          ? 'the article published no time at this size'
          : i === 3
            ? 'packed needs a method that carries bytes'
            : 'not measured in this run';
      return [{ series: s.name, at: row.method, reason }];
    }),
  );
  return groupedBarFigure({
    title: `Each method three ways at ${formatSize(top)} elements (log scale)`,
    categories: at.map((r) => r.method),
    xTitle: "article's method",
    yTitle: 'time (s)',
    logY: true,
    showValues: false,
    series,
    failures,
  });
}

/** What an interval says about Node ÷ CPython: faster, slower, or no difference this run can show. */
function verdict(ratio: number, ci: string | null): string {
  const [low, high] = (ci ?? '').split('–').map(Number);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return `${ratio.toFixed(2)} (one repeat: no interval)`;
  const word = high < 1 ? 'Node faster' : low > 1 ? 'Node slower' : 'no difference shown';
  return `${ratio.toFixed(2)} [${ci}] — ${word}`;
}

/**
 * Node ÷ CPython for the same list at the largest size, per method, with each ratio's 95 %
 * interval and what it supports; then the methods where Node's fastest codec beats pickle, and
 * the time to build the list in each runtime.
 */
export function threeWaySentence(rows: readonly ThreeWayRow[], records: readonly TransferRecord[]): string {
  const top = Math.max(...rows.map((r) => r.sizeElements));
  const at = rows.filter((r) => r.sizeElements === top && typeof r['Node ÷ CPython (list)'] === 'number');
  const lines = at.map((r) => {
    const analog = verdict(r['Node ÷ CPython (list)'] as number, r['95% CI'] as string | null);
    const best =
      r['fastest Node codec'] === 'packed' && typeof r['fastest Node ÷ CPython'] === 'number'
        ? `; packed ${verdict(r['fastest Node ÷ CPython'], r['fastest 95% CI'] as string | null)}`
        : '';
    return `- ${r.method} (\`${r['Node transport']}\`): ${analog}${best}`;
  });
  const wins = at.filter((r) => {
    const high = Number(String(r['fastest 95% CI'] ?? '').split('–')[1]);
    return Number.isFinite(high) && high < 1;
  });
  const build = (runtime: string) => {
    const b = records
      .filter((r) => r.ok && r.runtime === runtime && r.payload === 'list' && r.sizeElements === top && r.buildSeconds !== null)
      .map((r) => r.buildSeconds as number);
    return formatSeconds(b.length ? b.reduce((x, y) => x + y, 0) / b.length : null);
  };
  return (
    `Node ÷ CPython at ${formatSize(top)} elements, total time for the same list, median of the interleaved repeats ` +
    `[95% confidence interval]:\n\n${lines.join('\n')}\n\n` +
    `With its fastest codec, Node.js is faster than CPython's pickle — the interval below 1 — on ` +
    `${wins.length === 0 ? 'none' : wins.map((r) => `${r.method} (${r['fastest Node codec']})`).join(', ')} of the ${at.length} methods.\n\n` +
    `Building the list of ${formatSize(top)} integers took ${build('cpython')} in CPython and ${build('node')} in Node.js (mean over transfers).`
  );
}
