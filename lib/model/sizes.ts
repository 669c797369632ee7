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
