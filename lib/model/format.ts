/**
 * Every unit ipc-lab shows a person, formatted in one place (as pyperf's `_formatter.py` does):
 * times auto-scaled from ns to min, bytes in B/KiB/MiB/GiB, rates, counts, ratios, plurals and
 * the machine line of a run. The CLI, the progress lines and the notebooks all call these, so a
 * time reads the same in a terminal and in a notebook. A missing value (null, undefined, NaN) is
 * shown as MISSING; numbers meant to stay numbers (table cells) go through roundSignificant.
 */
import type { RunDescription } from './types';

/** How a missing value is shown: an en dash. */
export const MISSING = '–';

/** Significant digits of every measured value shown (a time, a rate, an amount of bytes). */
const DIGITS = 3;

/** A unit, its size in the base unit, and the value at which the next unit takes over. */
type Unit = readonly [name: string, size: number, limit: number];

const TIME_UNITS: readonly Unit[] = [
  ['ns', 1e-9, 1000],
  ['µs', 1e-6, 1000],
  ['ms', 1e-3, 1000],
  ['s', 1, 60],
  ['min', 60, Number.POSITIVE_INFINITY],
];

const KIB = 1024;
const MIB = KIB ** 2;
const BYTE_UNITS: readonly Unit[] = [
  ['B', 1, KIB],
  ['KiB', KIB, KIB],
  ['MiB', MIB, KIB],
  ['GiB', KIB ** 3, Number.POSITIVE_INFINITY],
];

/** Counts of ten thousand and more in thousands, millions, billions ("45k", "1.23M"). */
const COUNT_UNITS: readonly Unit[] = [
  ['k', 1e3, 1000],
  ['M', 1e6, 1000],
  ['G', 1e9, Number.POSITIVE_INFINITY],
];

const isMissing = (value: number | null | undefined): value is null | undefined =>
  value === null || value === undefined || Number.isNaN(value);

/** A value rounded to `digits` significant digits, still a number (a table cell); null when missing or infinite. */
export function roundSignificant(value: number | null | undefined, digits = DIGITS): number | null {
  return isMissing(value) || !Number.isFinite(value) ? null : Number(value.toPrecision(digits));
}

/**
 * The value in the smallest unit where it stays below that unit's limit, to DIGITS significant
 * digits. Rounded before the unit is chosen, so 0.9995 s is "1.00 s", not "1.00e+3 ms".
 */
function scaled(
  value: number,
  units: readonly Unit[],
  style: { trimZeros: boolean; gap: string } = { trimZeros: false, gap: ' ' },
): string {
  for (const [name, size, limit] of units) {
    const shown = Number((value / size).toPrecision(DIGITS));
    if (Math.abs(value / size) < limit && Math.abs(shown) < limit) {
      const digits = style.trimZeros ? String(shown) : Math.abs(shown) >= 10 ** DIGITS ? shown.toFixed(0) : shown.toPrecision(DIGITS);
      return `${digits}${style.gap}${name}`;
    }
  }
  throw new Error(`scaled: ${value} is beyond the last unit (${units[units.length - 1][0]})`);
}

/** 0.001476 → "1.48 ms", 8.031 → "8.03 s", 2.5e-8 → "25.0 ns", 90 → "1.50 min": three significant digits in the unit that fits. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (isMissing(seconds)) return MISSING;
  if (seconds === 0) return '0 s';
  return scaled(seconds, TIME_UNITS);
}

/**
 * 64 → "64 B", 65536 → "64 KiB", 1500 → "1500 B", 4e8 → "381 MiB": a whole number (under 1024) of
 * a unit as it is (message sizes as people write them), any other size below 1 MiB exact in bytes (a
 * message size names its configuration: 1500 and 1501 must differ), larger ones to three
 * significant digits.
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (isMissing(bytes)) return MISSING;
  for (const [name, size, limit] of BYTE_UNITS.slice(1)) {
    if (bytes % size === 0 && Math.abs(bytes / size) >= 1 && Math.abs(bytes / size) < limit) return `${bytes / size} ${name}`;
  }
  if (Number.isInteger(bytes) && Math.abs(bytes) < MIB) return `${bytes} B`;
  return scaled(bytes, BYTE_UNITS);
}

/** 3.2e6 → "3.05 MiB/s": a measured rate of bytes, always to three significant digits. */
export function formatBytesPerSecond(bytesPerSecond: number | null | undefined): string {
  if (isMissing(bytesPerSecond)) return MISSING;
  return bytesPerSecond === 0 ? '0 B/s' : `${scaled(bytesPerSecond, BYTE_UNITS)}/s`;
}

/** 100000000 → "1e8", 12345 → "12345": sizes in elements as people write them (and type them). */
export function formatSize(sizeElements: number): string {
  if (sizeElements >= 10 && Number.isInteger(Math.log10(sizeElements))) {
    return `1e${Math.round(Math.log10(sizeElements))}`;
  }
  return String(sizeElements);
}

/** 9876 → "9876", 45000 → "45k", 12345 → "12.3k", 1.234e6 → "1.23M": a measured count, whole below ten thousand. */
export function formatCount(count: number | null | undefined): string {
  if (isMissing(count)) return MISSING;
  const whole = Math.round(count);
  if (Math.abs(whole) < 1e4) return String(whole);
  return scaled(count, COUNT_UNITS, { trimZeros: true, gap: '' });
}

/** 45000 → "45k/s", (45000, 'messages') → "45k messages/s": a count per second. */
export function formatRate(perSecond: number | null | undefined, what = ''): string {
  if (isMissing(perSecond)) return MISSING;
  return `${formatCount(perSecond)}${what ? ` ${what}` : ''}/s`;
}

/** 1.234 → "1.23×", 12.8 → "13×": how many times one value is another, two decimals below 10, whole from 10. */
export function formatRatio(ratio: number | null | undefined): string {
  if (isMissing(ratio)) return MISSING;
  return Math.abs(Number(ratio.toFixed(2))) >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(2)}×`;
}

/** (1, 'transfer') → "1 transfer", (3, 'transfer') → "3 transfers", (2, 'body', 'bodies') → "2 bodies". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A commit as a person compares them: its first 12 hex digits, with "-dirty" (or any other suffix) kept. */
export function shortCommit(commit: string): string {
  const hex = commit.match(/^[0-9a-f]{13,}/)?.[0];
  return hex ? commit.slice(0, 12) + commit.slice(hex.length) : commit;
}

/**
 * What a run ran on, in one line: "Intel Xeon, 2 cores, 23.4 GiB, Linux 6.1.0 x64, Node 20.20.2
 * (V8 11.3), Python 3.11.2, ipc-lab 0.1.0 @ 46ae1bf0a1b2" (Python only when a CPython peer ran).
 */
export function machineLine(d: RunDescription): string {
  return [
    d.cpuModel.trim(),
    plural(d.cores, 'core'),
    formatBytes(d.memoryBytes),
    `${d.os} ${d.kernel} ${d.arch}`,
    `Node ${d.node} (V8 ${d.v8})`,
    ...(d.python ? [`Python ${d.python}`] : []),
    `ipc-lab ${d.ipcLabVersion} @ ${shortCommit(d.gitCommit)}`,
  ].join(', ');
}
