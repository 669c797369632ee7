/**
 * The computations behind the notebooks' tables and "in this run" sentences, as typed functions:
 * `npm run typecheck` checks them with the library instead of inside a notebook's strings, and a
 * notebook cell is left with one call. Each takes records and returns rows or markdown.
 */
import { NODE_TRANSPORTS } from '../model/catalog';
import { formatSize } from '../model/record';
import type { TransferRecord } from '../model/types';
import { articleSummary } from './article';
import { frameToRows, recordsToFrame, summarizeFrame } from './dataframe';
import { type FailureMark, failureReason } from './figure-notes';
import { type FigureSpec, groupedBarFigure } from './figures';
import { RUNTIME_COLORS, shadesOf } from './palette';
import { medianOf, NODE_FOR_ARTICLE_METHOD, phaseMedians } from './report';

const seconds = (s: number | null) => (s === null ? 'failed' : `${s.toFixed(3)} s`);
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const largestSize = (records: readonly TransferRecord[]) => Math.max(...records.map((r) => r.sizeElements));

/** Per-method notebooks: each transport's total at the largest size, list against Int32Array. */
export function methodRunSentence(records: readonly TransferRecord[]): string {
  const size = largestSize(records);
  const lines = [...new Set(records.map((r) => r.transport))].map((transport) => {
    const list = medianOf(records, { transport, payload: 'list', sizeElements: size }, 'totalSeconds');
    const int32 = medianOf(records, { transport, payload: 'int32', sizeElements: size }, 'totalSeconds');
    const ratio = list !== null && int32 !== null && int32 > 0 ? ` — the list costs ${(list / int32).toFixed(1)}× the typed array` : '';
    return `- \`${transport}\`: total ${seconds(list)} for the list, ${seconds(int32)} for the Int32Array${ratio}`;
  });
  return `In this run, at ${size.toLocaleString('en-US')} elements:\n\n${lines.join('\n')}`;
}

/** The Pipe sweep: the largest size's totals, and how much 10× the data cost. */
export function pipeSweepSentence(records: readonly TransferRecord[]): string {
  const largest = largestSize(records);
  const list = medianOf(records, { payload: 'list', sizeElements: largest }, 'totalSeconds');
  const int32 = medianOf(records, { payload: 'int32', sizeElements: largest }, 'totalSeconds');
  const tenth = medianOf(records, { payload: 'list', sizeElements: largest / 10 }, 'totalSeconds');
  const growth =
    list && tenth
      ? `; ten times fewer elements took ${tenth.toFixed(3)} s, so the cost grows ${(list / tenth).toFixed(1)}× for 10× the data.`
      : '.';
  return `At ${largest.toLocaleString('en-US')} elements the list took ${list?.toFixed(3) ?? '—'} s in total and the Int32Array ${int32?.toFixed(3) ?? '—'} s${growth}`;
}

/** One row of the rebuilt Result Summary. */
export interface SummaryTableRow {
  method: string;
  transport: string;
  payload: 'list' | 'int32';
  send: number | null;
  recv: number | null;
  total: number | null;
  articleSend: number | null;
  articleRecv: number | null;
  dataConstraint: string;
  flag: string;
  remarks: string;
}

/** The article's Result Summary rebuilt from records: every Node transport, list and Int32Array. */
export function resultSummaryRows(records: readonly TransferRecord[]): SummaryTableRow[] {
  const medians = frameToRows(phaseMedians(records));
  const article = articleSummary();
  const failure = (transport: string, payload: string) =>
    records.find((r) => r.transport === transport && r.payload === payload && !r.ok)?.error ?? '';
  return NODE_TRANSPORTS.flatMap((t) =>
    (['list', 'int32'] as const).map((payload) => {
      const m = medians.find((r) => r.transport === t.id && r.payload === payload);
      const a = article.find((r) => r.method === t.articleMethod);
      return {
        method: t.articleMethod ?? '(Node only)',
        transport: t.id,
        payload,
        send: numberOrNull(m?.sendSeconds),
        recv: numberOrNull(m?.recvSeconds),
        total: numberOrNull(m?.totalSeconds),
        articleSend: payload === 'list' ? (a?.sendSeconds ?? null) : null,
        articleRecv: payload === 'list' ? (a?.recvSeconds ?? null) : null,
        dataConstraint: t.dataConstraint,
        flag: t.needsFlag ? 'necessary' : 'unnecessary',
        remarks: m ? t.mechanism : `failed: ${failure(t.id, payload).split(': ').slice(2).join(': ')}`,
      };
    }),
  );
}

/** Every transport's total at the largest size, list and Int32Array, on a log axis; a failed one marked with its reason. */
export function summaryTotalsFigure(rows: readonly SummaryTableRow[]): FigureSpec {
  const payloads = [
    { payload: 'list', name: 'list' },
    { payload: 'int32', name: 'Int32Array' },
  ] as const;
  const totals = (payload: string) =>
    NODE_TRANSPORTS.map((t) => rows.find((r) => r.transport === t.id && r.payload === payload)?.total ?? null);
  const failures: FailureMark[] = payloads.flatMap(({ payload, name }) =>
    NODE_TRANSPORTS.flatMap((t) => {
      const row = rows.find((r) => r.transport === t.id && r.payload === payload);
      if (row?.total !== null && row !== undefined) return [];
      const reason = row?.remarks.replace(/^failed: ?/, '') || 'not measured in this run';
      return [{ series: name, at: t.id, reason }];
    }),
  );
  return groupedBarFigure({
    title: 'Every transport, total time at the largest size (log scale)',
    categories: NODE_TRANSPORTS.map((t) => t.id),
    xTitle: 'transport',
    yTitle: 'total time (s)',
    logY: true,
    showValues: false,
    series: payloads.map(({ payload, name }) => ({ name, values: totals(payload) })),
    failures,
  });
}

/** The three fastest and three slowest rows of the summary, as a sentence. */
export function rankingSentence(rows: readonly SummaryTableRow[]): string {
  const ranked = rows.filter((r) => r.total !== null).sort((a, b) => (a.total as number) - (b.total as number));
  const line = (r: SummaryTableRow) => `\`${r.transport}\` with the ${r.payload} (${(r.total as number).toFixed(3)} s)`;
  return `Fastest in this run: ${ranked.slice(0, 3).map(line).join(', ')}. Slowest: ${ranked.slice(-3).reverse().map(line).join(', ')}.`;
}

/** Transports whose peers are threads of one process: compared among themselves. */
const THREAD_TRANSPORTS = new Set(NODE_TRANSPORTS.filter((t) => t.peers === 'threads').map((t) => t.id));

/** Median total per payload, size and transport, from ok measured records. */
function totalMedians(records: readonly TransferRecord[]) {
  const ok = recordsToFrame(records, { okOnly: true });
  return frameToRows(summarizeFrame(ok, { by: ['payload', 'sizeElements', 'transport'], values: ['totalSeconds'], stats: ['median'] }));
}

/** For each payload and size, the fastest transport between processes and between threads. */
export function winnersBySize(records: readonly TransferRecord[]): Record<string, string>[] {
  const medians = totalMedians(records);
  return [...new Set(medians.map((r) => `${r.payload}|${r.sizeElements}`))].map((key) => {
    const [payload, size] = key.split('|');
    const group = medians.filter((r) => r.payload === payload && String(r.sizeElements) === size);
    const best = (rows: typeof group) => [...rows].sort((a, b) => (a.totalSeconds_median as number) - (b.totalSeconds_median as number))[0];
    const show = (r: (typeof group)[number] | undefined) =>
      r ? `${r.transport} (${(r.totalSeconds_median as number).toPrecision(3)} s)` : '—';
    return {
      payload,
      elements: formatSize(Number(size)),
      'fastest between processes': show(best(group.filter((r) => !THREAD_TRANSPORTS.has(String(r.transport))))),
      'fastest between threads': show(best(group.filter((r) => THREAD_TRANSPORTS.has(String(r.transport))))),
    };
  });
}

/** One transport at one size: the list's median total ÷ the Int32Array's. */
export interface PayloadRatio {
  transport: string;
  elements: string;
  sizeElements: number;
  ratio: number | null;
}

/** list ÷ Int32Array median totals, per transport and size. */
export function listOverInt32(records: readonly TransferRecord[]): PayloadRatio[] {
  const medians = totalMedians(records);
  return medians
    .filter((r) => r.payload === 'list')
    .map((l) => {
      const i = medians.find((r) => r.payload === 'int32' && r.transport === l.transport && r.sizeElements === l.sizeElements);
      const ratio =
        i && typeof i.totalSeconds_median === 'number' && typeof l.totalSeconds_median === 'number'
          ? l.totalSeconds_median / i.totalSeconds_median
          : null;
      return { transport: String(l.transport), elements: formatSize(Number(l.sizeElements)), sizeElements: Number(l.sizeElements), ratio };
    });
}

/** The range of list ÷ Int32Array at the largest size, as a sentence. */
export function listCostSentence(ratios: readonly PayloadRatio[]): string {
  const top = Math.max(...ratios.map((r) => r.sizeElements));
  const big = ratios.filter((r) => r.ratio !== null && r.sizeElements === top).sort((a, b) => (b.ratio as number) - (a.ratio as number));
  if (big.length === 0) return 'No size had both payloads.';
  const low = big[big.length - 1];
  return `At the largest size the list costs from ${(low.ratio as number).toFixed(1)}× (\`${low.transport}\`) to ${(big[0].ratio as number).toFixed(1)}× (\`${big[0].transport}\`) the Int32Array's time.`;
}

/** One row of the three-way table: a method at a size, the article, CPython here, Node here. */
export type ThreeWayRow = Record<string, string | number | null> & { method: string; elements: string; sizeElements: number };

/** Per article method and CPython size: the article's published times, CPython here, Node here. */
export function threeWayRows(cpythonRecords: readonly TransferRecord[], nodeRecords: readonly TransferRecord[]): ThreeWayRow[] {
  const m = frameToRows(phaseMedians([...cpythonRecords, ...nodeRecords]));
  const get = (runtime: string, transport: string, payload: string, size: number, col: string) =>
    numberOrNull(
      m.find((r) => r.runtime === runtime && r.transport === transport && r.payload === payload && r.sizeElements === size)?.[col],
    );
  const sizes = [...new Set(cpythonRecords.map((r) => r.sizeElements))].sort((a, b) => a - b);
  return sizes.flatMap((size) =>
    articleSummary().map((a) => {
      const nodeId = NODE_FOR_ARTICLE_METHOD[a.method];
      const cpyTotal = get('cpython', a.transport, 'list', size, 'totalSeconds');
      const nodeTotal = get('node', nodeId, 'list', size, 'totalSeconds');
      return {
        method: a.method,
        elements: formatSize(size),
        sizeElements: size,
        'article send': size === a.sizeElements ? a.sendSeconds : null,
        'article recv': size === a.sizeElements ? a.recvSeconds : null,
        'CPython send': get('cpython', a.transport, 'list', size, 'sendSeconds'),
        'CPython recv': get('cpython', a.transport, 'list', size, 'recvSeconds'),
        'CPython total': cpyTotal,
        'Node transport': nodeId,
        'Node send': get('node', nodeId, 'list', size, 'sendSeconds'),
        'Node recv': get('node', nodeId, 'list', size, 'recvSeconds'),
        'Node total': nodeTotal,
        'Node Int32Array total': get('node', nodeId, 'int32', size, 'totalSeconds'),
        'Node ÷ CPython (list)': cpyTotal && nodeTotal ? nodeTotal / cpyTotal : null,
      };
    }),
  );
}

/**
 * Grouped bars at the largest CPython size: article send + recv, CPython total, Node totals, in
 * the runtimes' colours (lib/notebook/palette.ts). Pass the records to name why a bar is missing.
 */
export function threeWayFigure(rows: readonly ThreeWayRow[], records: readonly TransferRecord[] = []): FigureSpec {
  const top = Math.max(...rows.map((r) => r.sizeElements));
  const at = rows.filter((r) => r.sizeElements === top);
  const articleSum = (r: ThreeWayRow) =>
    typeof r['article send'] === 'number' && typeof r['article recv'] === 'number' ? r['article send'] + r['article recv'] : null;
  const [nodeList, nodeInt32] = [RUNTIME_COLORS.node, shadesOf(RUNTIME_COLORS.node, 3)[2]];
  const series = [
    { name: 'article send + recv (Python 3.7, published)', values: at.map(articleSum), style: { color: RUNTIME_COLORS.article } },
    { name: 'CPython here: total', values: at.map((r) => numberOrNull(r['CPython total'])), style: { color: RUNTIME_COLORS.cpython } },
    { name: 'Node.js here: total, list', values: at.map((r) => numberOrNull(r['Node total'])), style: { color: nodeList } },
    {
      name: 'Node.js here: total, Int32Array',
      values: at.map((r) => numberOrNull(r['Node Int32Array total'])),
      style: { color: nodeInt32, pattern: '/' as const },
    },
  ];
  // Which records each series draws, to find why a bar is missing.
  const sources = [
    null,
    (r: TransferRecord, row: ThreeWayRow) =>
      r.runtime === 'cpython' && r.payload === 'list' && r.transport === articleSummary().find((a) => a.method === row.method)?.transport,
    (r: TransferRecord, row: ThreeWayRow) => r.runtime === 'node' && r.payload === 'list' && r.transport === row['Node transport'],
    (r: TransferRecord, row: ThreeWayRow) => r.runtime === 'node' && r.payload === 'int32' && r.transport === row['Node transport'],
  ];
  const failures: FailureMark[] = series.flatMap((s, i) =>
    at.flatMap((row, j) => {
      if (s.values[j] !== null) return [];
      const pick = sources[i];
      const failed = pick ? records.find((r) => !r.ok && r.sizeElements === top && pick(r, row)) : undefined;
      const reason = failed ? failureReason(failed) : i === 0 ? 'the article published no time at this size' : 'not measured in this run';
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

/** Node ÷ CPython per method and size, and the mean build time of the list in each runtime. */
export function threeWaySentence(rows: readonly ThreeWayRow[], records: readonly TransferRecord[]): string {
  const top = Math.max(...rows.map((r) => r.sizeElements));
  const ratios = rows
    .filter((r) => typeof r['Node ÷ CPython (list)'] === 'number')
    .map((r) => `${r.method} at ${r.elements}: ${(r['Node ÷ CPython (list)'] as number).toFixed(2)}`);
  const build = (runtime: string) => {
    const b = records
      .filter((r) => r.ok && r.runtime === runtime && r.payload === 'list' && r.sizeElements === top && r.buildSeconds !== null)
      .map((r) => r.buildSeconds as number);
    return b.length ? (b.reduce((x, y) => x + y, 0) / b.length).toFixed(2) : '—';
  };
  return (
    `Node ÷ CPython, total time for the same list: ${ratios.join('; ')}.\n\n` +
    `Building the list of ${formatSize(top)} integers took ${build('cpython')} s in CPython and ${build('node')} s in Node.js (mean over transfers).`
  );
}
