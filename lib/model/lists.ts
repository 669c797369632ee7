/** Small helpers over arrays that several layers need. */

/** The distinct values, in order of first appearance (`===`, as a Set compares). */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
