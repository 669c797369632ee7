/**
 * `npm run compare -- RUN_A RUN_B [--format table|csv|markdown] [--out FILE]`: two results
 * directories side by side, per configuration, with the ratio B/A, its confidence interval and a
 * mark of significance (lib/sweep/compare.ts says which test and why). Bad input — a missing
 * directory, one that is not results, no records, an unknown flag or format — is one line on
 * stderr and exit code 2, never a stack trace, and nothing is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { plural } from '../model/format';
import { nearestName } from '../model/names';
import { PathError } from '../model/path-errors';
import { shownPath } from '../model/paths';
import { UsageError } from '../model/usage-error';
import { compareRecords, DEFAULT_CONFIDENCE } from '../sweep/compare';
import { COMPARE_FORMATS, type ComparedRun, type CompareFormat, formatComparison } from '../sweep/compare-format';
import { loadResults, writeFileAtomic } from '../sweep/results-files';
import type { Results } from '../sweep/results-format';
import { findRunDirs } from '../sweep/run-dirs';
import { runCommand } from './run-command';

/** The text of `npm run compare -- --help`. */
export const COMPARE_HELP = `Usage: npm run compare -- RUN_A RUN_B [flags]

Compares two runs of npm run sweep (or of the notebooks), each a results directory holding
records.json (e.g. data/results/<run>) or that records.json itself. Per configuration
(runtime × transport × payload × codec × size), over measured repeats that succeeded: the median
total time of A and of B, their ratio B/A, the ${Math.round(DEFAULT_CONFIDENCE * 100)}% confidence interval of the ratio and
its p-value (Welch's t-test on log times), a mark (* p<0.05, ** p<0.01, *** p<0.001) and n of each
run; then the failures and what each run ran on. A configuration needs ≥2 repeats in both runs
for an interval.

Flags:
  --format FORMAT   ${COMPARE_FORMATS.join(', ')} (default table: aligned columns for a terminal)
  --out FILE        write the output to FILE instead of stdout (its directory must exist)
  --help, -h        this text

Examples:
  npm run compare -- data/results/method-pipe-article data/results/method-pipe-quick
  npm run compare -- before/ after/ --format markdown --out comparison.md
`;

const OPTIONS = {
  format: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What parseCompareArgs found: help to print, or two runs to compare. */
export type CompareArgs =
  | { kind: 'help'; text: string }
  | { kind: 'run'; runA: string; runB: string; format: CompareFormat; out: string | null };

/** node's parseArgs errors as one-line UsageErrors naming the flag. */
function usageErrorFrom(error: unknown): UsageError {
  const e = error as NodeJS.ErrnoException;
  const flag = (/'([^']+)'/.exec(e.message ?? '')?.[1] ?? '').split(' ')[0];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = nearestName(
      flag,
      Object.keys(OPTIONS).map((name) => `--${name}`),
    );
    return new UsageError(`unknown flag ${flag}:${guess ? ` did you mean ${guess}?` : ''} valid: --format, --out, --help`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(e.message)) return new UsageError(`flag ${flag} takes no value; see --help`);
    return new UsageError(`flag ${flag} needs a value; see --help`);
  }
  return new UsageError(`${String(e.message).split('\n')[0]}; see --help`);
}

/** Parse the compare command's arguments. Throws UsageError on a bad flag, format or count of runs. */
export function parseCompareArgs(argv: readonly string[]): CompareArgs {
  let parsed: { values: Partial<Record<keyof typeof OPTIONS, string | boolean>>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', text: COMPARE_HELP };
  if (positionals.length !== 2) {
    const given = positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(', ');
    throw new UsageError(
      `compare needs two results directories, RUN_A and RUN_B; got ${given} (e.g. npm run compare -- data/results/a data/results/b)`,
    );
  }
  const formatText = typeof values.format === 'string' ? values.format : 'table';
  const format = COMPARE_FORMATS.find((f) => f === formatText.toLowerCase());
  if (!format) {
    const guess = nearestName(formatText, COMPARE_FORMATS);
    throw new UsageError(
      `unknown format ${JSON.stringify(formatText)}:${guess ? ` did you mean "${guess}"?` : ''} valid: ${COMPARE_FORMATS.join(', ')}`,
    );
  }
  const out = typeof values.out === 'string' ? values.out : null;
  if (out !== null && out.trim() === '') throw new UsageError('--out "" is not a file name: give a file path, e.g. --out comparison.csv');
  return { kind: 'run', runA: positionals[0], runB: positionals[1], format, out };
}

/**
 * Load one run for comparison: a results directory or its records.json. A path that does not
 * exist, a directory without records.json (the hint names runs found below it), a file that is
 * not results, or results without a measured record are UsageErrors naming the path.
 */
export function loadRun(given: string, which: 'RUN_A' | 'RUN_B'): ComparedRun & Results {
  const name = JSON.stringify(given);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(given);
  } catch {
    throw new UsageError(`${which} ${name} does not exist: give a results directory written by npm run sweep (e.g. data/results/<run>)`);
  }
  if (stat.isDirectory() && !fs.existsSync(path.join(given, 'records.json'))) {
    // Shown as the user wrote the folder: given, then the part below it.
    const below = findRunDirs(given).map((dir) => path.join(given, path.relative(given, dir)));
    if (below.length > 0) {
      const examples = below.slice(0, 3).join(', ') + (below.length > 3 ? ', …' : '');
      throw new UsageError(
        `${which} ${name} is not a results directory (no records.json) but holds ${plural(below.length, 'run')}: give one (${examples})`,
      );
    }
    throw new UsageError(
      `${which} ${name} is not a results directory: it has no records.json; give a directory written by npm run sweep (e.g. data/results/<run>)`,
    );
  }
  let results: Results;
  try {
    results = loadResults(given);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${which}: ${error.message}`);
    throw error;
  }
  const measured = results.records.filter((r) => !r.warmup).length;
  if (measured === 0) {
    throw new UsageError(
      `${which} ${name} holds no measured records (${results.records.length} warm-ups only): nothing to compare; give a run with at least one repeat`,
    );
  }
  return { ...results, name: shownPath(path.resolve(given)) };
}

/** Write the output to --out FILE atomically: its directory must exist and FILE must not be a directory. */
function writeOut(file: string, text: string): void {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  if (fs.existsSync(absolute) && fs.statSync(absolute).isDirectory()) {
    throw new UsageError(`--out ${JSON.stringify(file)} is a directory: give a file path, e.g. --out ${path.join(file, 'comparison.csv')}`);
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(
      `--out ${JSON.stringify(file)}: directory ${JSON.stringify(path.dirname(file))} does not exist; create it or choose another --out`,
    );
  }
  try {
    // Reused from the results files: the old FILE or the new one, never half of one.
    writeFileAtomic(absolute, text);
  } catch (error) {
    if (error instanceof PathError) throw new UsageError(`${error.message}; choose another --out`);
    throw error;
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseCompareArgs(argv);
  if (args.kind === 'help') {
    process.stdout.write(args.text);
    return 0;
  }
  const a = loadRun(args.runA, 'RUN_A');
  const b = loadRun(args.runB, 'RUN_B');
  const rows = compareRecords(a.records, b.records, DEFAULT_CONFIDENCE);
  const text = formatComparison({ a, b, confidence: DEFAULT_CONFIDENCE, rows }, args.format);
  if (args.out === null) {
    process.stdout.write(text);
  } else {
    writeOut(args.out, text);
    process.stderr.write(`ipc-lab: wrote ${rows.length} configurations (${args.format}) to ${args.out}\n`);
  }
  return 0;
}

if (require.main === module) runCommand(main);
