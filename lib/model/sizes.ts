/** Sizes in elements as people type them ("1e5", "10^8", "1_000_000"), checked one way. */
import { splitList } from './names';
import { UsageError } from './usage-error';

/** The largest size: every value 0 … size − 1 must fit in an int32, and so must the count. */
export const MAX_SIZE_ELEMENTS = 2 ** 31 - 1;

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

/** The largest message of a message pattern: 64 MiB (many small messages; a big one is a transfer). */
export const MAX_MESSAGE_BYTES = 64 * 2 ** 20;

const MESSAGE_SIZE_RULE = `message sizes are bytes from 1 to 64 MiB, written 64, 1KiB, 16KiB or 1MiB (K and M also mean 1024 and 1024², e.g. 64k)`;

const UNIT_BYTES: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20 };

/** A message size as people type it: "64", "64B", "1KiB", "16k", "1MiB", "1 MiB". */
export function parseMessageBytes(text: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(String(text).trim());
  const unit = match ? UNIT_BYTES[match[2].toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_MESSAGE_BYTES) {
    throw new UsageError(`message size ${JSON.stringify(String(text))} is not valid: ${MESSAGE_SIZE_RULE}`);
  }
  return bytes;
}

/** A comma-separated list of message sizes, e.g. "8,64,1KiB,64KiB"; an empty list is an error. */
export function parseMessageSizes(text: string): number[] {
  const items = splitList(text);
  if (items.length === 0) throw new UsageError(`no message size given in ${JSON.stringify(text)}: ${MESSAGE_SIZE_RULE}`);
  return items.map(parseMessageBytes);
}

/** A message size given as a number through the API: the same rule. */
export function checkMessageBytes(n: number): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_MESSAGE_BYTES) {
    throw new UsageError(`message size ${String(n)} is not valid: ${MESSAGE_SIZE_RULE}`);
  }
  return n;
}
