/**
 * The comparison of two runs as text: a terminal table, CSV and Markdown. Pure exporters
 * (comparison in, string out), apart from the I/O of lib/cli/compare.ts, as hyperfine keeps its
 * exporters apart from its runner.
 */
import { formatSeconds, formatSize, MISSING, machineLine } from '../model/format';
import { choiceOf } from '../model/pairs';
import type { RunDescription } from '../model/types';
import type { ComparisonRow } from './compare';
import { csvCell } from './results-format';

/** One of the two runs being compared: a name for the reader (its path) and its description. */
export interface ComparedRun {
  /** How the run is shown, e.g. its results directory relative to the repository. */
  name: string;
  description: RunDescription;
}

/** Everything an exporter prints: both runs, the interval's level, and one row per configuration. */
export interface RunComparison {
  a: ComparedRun;
  b: ComparedRun;
  /** The confidence level of every row's interval, e.g. 0.95. */
  confidence: number;
  rows: ComparisonRow[];
}

/** The output formats of `npm run compare`. */
export const COMPARE_FORMATS = ['table', 'csv', 'markdown'] as const;
/** One of COMPARE_FORMATS. */
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/**
 * One line that says what a run was: its id, the machine line, when and its label, e.g.
 * `run 20261130-224100-1a2b3c4d: Intel Xeon, 2 cores, 24 GiB, Linux 6.1.0 x64, Node 20.20.2 (V8 11.3), ipc-lab 0.1.0 @ 46ae1bf0a1b2, 2026-11-30 22:41 UTC, "smoke A"`.
 */
export function describeRunLine(description: RunDescription): string {
  const when = description.date.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  const label = description.label ? `, ${JSON.stringify(description.label)}` : '';
  return `run ${description.runId}: ${machineLine(description)}, ${when}${label}`;
}

/** "node pipe list v8 1e4": a configuration as the tables name it. */
export function configurationName(row: ComparisonRow): string {
  return `${choiceOf(row)} ${row.transport} ${row.payload} ${row.codec} ${formatSize(row.sizeElements)}`;
}

const ratio = (value: number | null): string => (value === null ? MISSING : value.toFixed(3));
const pValue = (value: number | null): string => (value === null ? MISSING : value >= 0.001 ? value.toFixed(3) : value.toExponential(1));
const interval = (row: ComparisonRow): string =>
  row.ciLow === null || row.ciHigh === null ? MISSING : `${ratio(row.ciLow)}–${ratio(row.ciHigh)}`;

/** The columns both human formats print, header → cell. */
function humanColumns(confidence: number): [string, (row: ComparisonRow) => string][] {
  return [
    ['configuration', configurationName],
    ['A median', (row) => formatSeconds(row.medianASeconds)],
    ['B median', (row) => formatSeconds(row.medianBSeconds)],
    ['B/A', (row) => ratio(row.ratio)],
    [`${Math.round(confidence * 100)}% CI`, interval],
    ['p', (row) => pValue(row.pValue)],
    ['sig', (row) => row.mark],
    ['n A', (row) => String(row.nA)],
    ['n B', (row) => String(row.nB)],
    ['verdict', (row) => row.verdict],
  ];
}

/** "A node pipe list raw 1e4: 5 of 5 failed: <error>", one line per run and configuration with an error. */
function failureLines(comparison: RunComparison): string[] {
  const lines: string[] = [];
  for (const row of comparison.rows) {
    for (const [side, failed, n, error] of [
      ['A', row.failedA, row.nA, row.errorA],
      ['B', row.failedB, row.nB, row.errorB],
    ] as const) {
      if (error === '') continue;
      const count = failed > 0 ? `${failed} of ${failed + n} measured repeats failed` : 'a warm-up failed';
      lines.push(`${side} ${configurationName(row)}: ${count}: ${error}`);
    }
  }
  return lines;
}

/** What the columns mean, in one sentence. */
export function comparisonLegend(confidence: number): string {
  const level = `${Math.round(confidence * 100)}%`;
  return (
    `B/A: ratio of median total times (below 1: B faster). CI: ${level} confidence interval of the ratio of geometric means, ` +
    `from Welch's t-test on log times; p: its two-sided p-value; sig: * p<0.05, ** p<0.01, *** p<0.001. ` +
    `Measured repeats that succeeded only (n A, n B); warm-ups left out.`
  );
}

/** The terminal table: aligned columns, then failures, the legend and both runs' descriptions. */
export function comparisonToTable(comparison: RunComparison): string {
  const columns = humanColumns(comparison.confidence);
  const cells = [columns.map(([header]) => header), ...comparison.rows.map((row) => columns.map(([, cell]) => cell(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  // Text columns (the first and the last) align left, numbers right.
  const last = columns.length - 1;
  const lines = cells.map((line) =>
    line
      .map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  const failures = failureLines(comparison);
  return [
    ...lines,
    '',
    ...(failures.length > 0 ? ['Failures:', ...failures.map((line) => `  ${line}`), ''] : []),
    comparisonLegend(comparison.confidence),
    `A = ${comparison.a.name}: ${describeRunLine(comparison.a.description)}`,
    `B = ${comparison.b.name}: ${describeRunLine(comparison.b.description)}`,
    '',
  ].join('\n');
}

const markdownCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** A GitHub-flavoured Markdown table, then the runs, the failures and the legend. */
export function comparisonToMarkdown(comparison: RunComparison): string {
  const columns = humanColumns(comparison.confidence);
  const row = (cells: string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  const alignment = columns.map((_, i) => (i === 0 || i === columns.length - 1 ? ':---' : '---:'));
  const failures = failureLines(comparison);
  return [
    row(columns.map(([header]) => header)),
    `|${alignment.join('|')}|`,
    ...comparison.rows.map((r) => row(columns.map(([, cell]) => cell(r)))),
    '',
    `- **A** = \`${markdownCell(comparison.a.name)}\`: ${markdownCell(describeRunLine(comparison.a.description))}`,
    `- **B** = \`${markdownCell(comparison.b.name)}\`: ${markdownCell(describeRunLine(comparison.b.description))}`,
    '',
    ...(failures.length > 0 ? ['Failures:', '', ...failures.map((line) => `- ${markdownCell(line)}`), ''] : []),
    comparisonLegend(comparison.confidence),
    '',
  ].join('\n');
}

/** The CSV columns: every ComparisonRow field, then the interval's level and both runs' ids. */
export const COMPARISON_CSV_FIELDS = [
  'runtime',
  'transport',
  'payload',
  'codec',
  'sizeElements',
  'status',
  'nA',
  'nB',
  'failedA',
  'failedB',
  'medianASeconds',
  'medianBSeconds',
  'ratio',
  'geometricMeanRatio',
  'ciLow',
  'ciHigh',
  'confidence',
  'pValue',
  'df',
  'mark',
  'verdict',
  'errorA',
  'errorB',
  'runA',
  'runB',
] as const;

/** The comparison as CSV (RFC 4180, CRLF, full precision, empty cell for null), one row per configuration. */
export function comparisonToCsv(comparison: RunComparison): string {
  const extra = { confidence: comparison.confidence, runA: comparison.a.description.runId, runB: comparison.b.description.runId };
  const lines = [COMPARISON_CSV_FIELDS.join(',')];
  for (const row of comparison.rows) {
    const values: Record<string, unknown> = { ...row, ...extra };
    lines.push(COMPARISON_CSV_FIELDS.map((field) => csvCell(values[field])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** The exporter of a format. */
export function formatComparison(comparison: RunComparison, format: CompareFormat): string {
  if (format === 'csv') return comparisonToCsv(comparison);
  if (format === 'markdown') return comparisonToMarkdown(comparison);
  return comparisonToTable(comparison);
}
