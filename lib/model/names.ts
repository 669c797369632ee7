/** Names typed by users (transports, payloads, runtimes …), matched with a nearest-name hint. */
import { UsageError } from './usage-error';

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
export type NameKind = 'transport' | 'payload' | 'runtime' | 'preset' | 'fault' | 'codec' | 'order' | 'pattern';

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
export function checkNames<T extends string>(kind: NameKind, names: readonly string[], valid: readonly T[], allowAll: boolean): T[] {
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
export function pickNames<T extends string>(kind: NameKind, text: string, valid: readonly T[], allowAll: boolean): T[] {
  const names = splitList(text);
  if (names.length === 0) {
    const shownValid = allowAll ? [...valid, 'all'] : [...valid];
    throw new UsageError(`no ${kind} given in ${JSON.stringify(String(text))}: valid: ${shownValid.join(', ')}`);
  }
  return checkNames(kind, names, valid, allowAll);
}
