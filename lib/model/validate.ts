/**
 * The one place that checks user input, for the CLI and the library API alike. Every check
 * either returns the clean value or throws a UsageError whose message is one line naming the bad
 * value and what would be valid, so a typo costs one glance, not a stack trace.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Bad input from the user: the message is one line, names the value, and says what is valid. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message.replace(/\s+/g, ' ').trim());
    this.name = 'UsageError';
  }
}

/** The largest size: every value 0 … size − 1 must fit in an int32, and so must the count. */
export const MAX_SIZE_ELEMENTS = 2 ** 31 - 1;

/**
 * The largest timeout: Node's timers hold 2^31 − 1 ms (≈ 24.8 days) and fire at once beyond it,
 * which would turn a huge timeout into an instant failure.
 */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const SIZE_RULE = `sizes are whole numbers from 1 to ${MAX_SIZE_ELEMENTS} (e.g. 10, 1e5, 10^8)`;

/** Plain digits, optionally grouped with single underscores: 100000, 1_000_000. */
const PLAIN_INTEGER = /^\d+(_\d+)*$/;
/** Scientific notation: 1e5, 2.5e3, 1E+8. */
const SCIENTIFIC = /^\d+(\.\d+)?e\+?\d+$/i;
/** A power: 10^8, 2^20. */
const POWER = /^(\d+)\^(\d+)$/;

function sizeError(shown: string, reason?: string): UsageError {
  const why = reason ? ` (${reason})` : '';
  return new UsageError(`size ${shown} is not valid${why}: ${SIZE_RULE}`);
}

function checkSizeValue(value: number, shown: string): number {
  if (!Number.isFinite(value)) throw sizeError(shown, 'not a finite number');
  if (!Number.isInteger(value)) throw sizeError(shown, 'not a whole number');
  if (value < 1) throw sizeError(shown);
  if (value > MAX_SIZE_ELEMENTS) throw sizeError(shown, 'above the largest int32');
  return value;
}

/**
 * A size in elements as people type it: "100000", "1_000_000", "1e5", "2.5e3", "10^8".
 * Rejects anything else, and any value that is not a whole number from 1 to 2^31 − 1.
 */
export function parseSize(text: string): number {
  const trimmed = String(text).trim();
  const shown = JSON.stringify(String(text));
  let value: number;
  if (PLAIN_INTEGER.test(trimmed)) {
    value = Number(trimmed.replace(/_/g, ''));
  } else if (SCIENTIFIC.test(trimmed)) {
    value = Number(trimmed);
  } else {
    const power = POWER.exec(trimmed);
    if (!power) throw sizeError(shown);
    value = Number(power[1]) ** Number(power[2]);
  }
  return checkSizeValue(value, shown);
}

/** A comma-separated list of sizes, e.g. "10,1e5,10^8"; an empty list is an error. */
export function parseSizes(text: string): number[] {
  const items = splitList(text);
  if (items.length === 0) throw new UsageError(`no size given in ${JSON.stringify(text)}: ${SIZE_RULE}`);
  return items.map(parseSize);
}

/** A size given as a number through the API: the same rule as parseSize. */
export function checkSizeElements(n: number): number {
  if (typeof n !== 'number') throw sizeError(JSON.stringify(n) ?? String(n), 'not a number');
  return checkSizeValue(n, String(n));
}

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The valid name a mistyped one most likely meant, or undefined when none is close: a name the
 * input starts (e.g. "shared" → "shared-array"), else the nearest within half its length
 * (at least 2 edits).
 */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const prefixed = valid.find((v) => v.toLowerCase().startsWith(lower) && lower.length >= 2);
  if (prefixed) return prefixed;
  // Swapped letters ("tpc") are one slip of the fingers, though two edits away from "tcp".
  const sorted = (text: string) => [...text].sort().join('');
  const swapped = valid.find((v) => v.length > 2 && sorted(v.toLowerCase()) === sorted(lower));
  if (swapped) return swapped;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of valid) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.ceil(name.length / 2)) ? best : undefined;
}

/** Split "a, b,c" into ["a", "b", "c"]; empty items (",," or a trailing comma) are dropped. */
export function splitList(text: string): string[] {
  return String(text)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** What kind of name a list holds; used in messages ("unknown transport …"). */
export type NameKind = 'transport' | 'payload' | 'runtime' | 'experiment' | 'fault';

/** The UsageError for a name not in `valid`, with the nearest valid one suggested if any is close. */
export function unknownNameError(kind: NameKind, name: string, valid: readonly string[]): UsageError {
  const guess = nearestName(name, valid);
  const hint = guess ? ` did you mean "${guess}"?` : '';
  return new UsageError(`unknown ${kind} ${JSON.stringify(name)}:${hint} valid: ${valid.join(', ')}`);
}

/**
 * Names already split into a list (the API form of pickNames), checked against `valid`: matched
 * case-insensitively, repeats dropped, order kept. With `allowAll`, `all` selects every valid name.
 */
export function checkNames<T extends string>(
  kind: NameKind,
  names: readonly string[],
  valid: readonly T[],
  allowAll: boolean,
): T[] {
  const shownValid = allowAll ? [...valid, 'all'] : [...valid];
  if (!Array.isArray(names) || names.length === 0) {
    throw new UsageError(`no ${kind} given: valid: ${shownValid.join(', ')}`);
  }
  if (allowAll && names.some((n) => String(n).toLowerCase() === 'all')) return [...valid];
  const picked: T[] = [];
  for (const name of names) {
    const match = valid.find((v) => v.toLowerCase() === String(name).toLowerCase());
    if (match === undefined) throw unknownNameError(kind, String(name), shownValid);
    if (!picked.includes(match)) picked.push(match);
  }
  return picked;
}

/**
 * Names from a comma list such as "pipe, tcp", checked as checkNames does. An empty list (or one
 * of only commas) is an error.
 */
export function pickNames<T extends string>(
  kind: NameKind,
  text: string,
  valid: readonly T[],
  allowAll: boolean,
): T[] {
  const names = splitList(text);
  if (names.length === 0) {
    const shownValid = allowAll ? [...valid, 'all'] : [...valid];
    throw new UsageError(`no ${kind} given in ${JSON.stringify(String(text))}: valid: ${shownValid.join(', ')}`);
  }
  return checkNames(kind, names, valid, allowAll);
}

function checkWhole(what: string, n: number, min: number, example: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    const shown = typeof n === 'string' ? JSON.stringify(n) : String(n);
    throw new UsageError(`${what} ${shown} is not valid: ${what} must be a whole number from ${min} up (e.g. ${example})`);
  }
  return n;
}

/**
 * A number typed on the command line, strictly: digits with an optional sign, fraction and
 * exponent. (Number() alone would take "" as 0 and "0x10" as 16.) `what` names the value.
 */
export function parseNumberText(what: string, text: string): number {
  const trimmed = String(text).trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) {
    throw new UsageError(`${what} ${JSON.stringify(String(text))} is not a number`);
  }
  return Number(trimmed);
}

/** Measured repeats per configuration: a whole number ≥ 1. */
export function checkRepeats(n: number): number {
  return checkWhole('repeats', n, 1, '3');
}

/** Warm-up runs per configuration: a whole number ≥ 0. */
export function checkWarmups(n: number): number {
  return checkWhole('warmups', n, 0, '1');
}

/** V8 heap limit for Node peers in MiB: a whole number ≥ 0, where 0 means "pick from the size". */
export function checkHeapLimitMb(n: number): number {
  return checkWhole('heap limit in MiB', n, 0, '0 for automatic, or 8192');
}

/** A per-transfer timeout: seconds above 0, at most MAX_TIMEOUT_SECONDS (Node's timer limit). */
export function checkTimeoutSeconds(n: number): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `timeout ${String(n)} is not valid: timeouts are seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (e.g. 900)`,
    );
  }
  return n;
}

/** Options of checkOutDir. */
export interface OutDirOptions {
  /** Reject a directory that already holds records.json, so a new sweep cannot overwrite it. */
  refuseExistingResults?: boolean;
}

/** stat, or undefined when nothing is there (ENOTDIR: a file sits where a parent should be). */
function statIfPresent(target: string, shown: string): fs.Stats | undefined {
  try {
    return fs.statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`output directory ${shown} cannot be checked: ${code ?? String(error)} on ${JSON.stringify(target)}`);
  }
}

function canWrite(dir: string): boolean {
  try {
    // Creating an entry needs write and search permission on the directory.
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The results directory (`<out>/records.json` + `<out>/records.csv`): it must be a writable
 * directory, or not exist yet under a writable ancestor. Returns the absolute path. Nothing is
 * created here: this only checks, so a bad sweep config fails before any directory appears.
 */
export function checkOutDir(outDir: string, options: OutDirOptions = {}): string {
  const shown = JSON.stringify(String(outDir));
  if (typeof outDir !== 'string' || outDir.trim() === '' || outDir.includes('\0')) {
    throw new UsageError(`output directory ${shown} is not valid: give a directory path (e.g. data/results/my-sweep)`);
  }
  const absolute = path.resolve(outDir);
  const stat = statIfPresent(absolute, shown);
  if (stat) {
    if (!stat.isDirectory()) {
      throw new UsageError(
        `output directory ${shown} is a file, not a directory: results are written as ${shown}/records.json and records.csv; choose another --out`,
      );
    }
    if (!canWrite(absolute)) throw new UsageError(`output directory ${shown} is not writable: choose another --out`);
    if (options.refuseExistingResults && fs.existsSync(path.join(absolute, 'records.json'))) {
      throw new UsageError(`output directory ${shown} already holds records.json: choose a new --out, or add --overwrite to replace them`);
    }
    return absolute;
  }
  let ancestor = path.dirname(absolute);
  for (;;) {
    const ancestorStat = statIfPresent(ancestor, shown);
    if (ancestorStat) {
      if (!ancestorStat.isDirectory()) {
        throw new UsageError(`output directory ${shown} cannot be created: ${JSON.stringify(ancestor)} is a file, not a directory`);
      }
      if (!canWrite(ancestor)) {
        throw new UsageError(`output directory ${shown} cannot be created: ${JSON.stringify(ancestor)} is not writable; choose another --out`);
      }
      return absolute;
    }
    const parent = path.dirname(ancestor);
    if (parent === ancestor) return absolute; // unreachable in practice: the root always exists
    ancestor = parent;
  }
}

/** The faults RunOptions.fault may name (lib/model/types.ts), for checking options given through the API. */
export const FAULTS = [
  'none', 'corrupt', 'close-early', 'kill-sender', 'kill-receiver', 'kill-broker', 'sender-never-ready', 'receiver-hangs',
] as const;

/**
 * A TransferSpec given to runTransfer, checked before anything is spawned: a runtime, a payload
 * and a size as checkSizeElements wants, and a transport id from `transportIds` (the runtime's
 * transports, plus the bench's hidden ones). Throws a one-line UsageError naming the bad field.
 */
export function checkTransferSpec<S extends { runtime: string; transport: string; payload: string; sizeElements: number }>(
  spec: S,
  runtimes: readonly string[],
  payloads: readonly string[],
  transportIds: (runtime: string) => readonly string[],
): S {
  if (typeof spec !== 'object' || spec === null) {
    throw new UsageError(`transfer spec ${String(spec)} is not valid: give { runtime, transport, payload, sizeElements }`);
  }
  checkNames('runtime', [spec.runtime], runtimes, false);
  if (!transportIds(spec.runtime).includes(spec.transport)) {
    throw unknownNameError('transport', String(spec.transport), transportIds(spec.runtime));
  }
  checkNames('payload', [spec.payload], payloads, false);
  checkSizeElements(spec.sizeElements);
  return spec;
}

/** RunOptions given through the API, checked as the CLI's flags are. */
export function checkRunOptionValues(options: { timeoutSeconds?: number; heapLimitMb?: number; fault?: string }): void {
  if (options.timeoutSeconds !== undefined) checkTimeoutSeconds(options.timeoutSeconds);
  if (options.heapLimitMb !== undefined) checkHeapLimitMb(options.heapLimitMb);
  if (options.fault !== undefined && !(FAULTS as readonly string[]).includes(options.fault)) {
    throw unknownNameError('fault', String(options.fault), FAULTS);
  }
}
