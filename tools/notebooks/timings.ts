/**
 * How long each notebook and each of its code cells took in the last good run, per scale: what
 * execute.ts estimates the time left from. Committed notebooks hold no per-cell timing (it is
 * switched off so re-runs do not change every notebook), hence this small file of our own.
 */
import * as fs from 'node:fs';

/** One notebook's last good run. */
export interface NotebookTiming {
  /** Start to end: kernel start, every cell, saving, checking and the HTML export. */
  seconds: number;
  /** From the start until the first code cell began (kernel start-up). */
  startupSeconds: number;
  /** Each code cell's run time, in order (empty cells: 0). */
  cellSeconds: number[];
}

/** Scale → notebook name → its last good run. */
export type Timings = Record<string, Record<string, NotebookTiming>>;

/** The timings in `file`; empty when it is missing or unreadable (an estimate is a nicety, never a failure). */
export function loadTimings(file: string): Timings {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { scales?: Timings };
    return parsed.scales && typeof parsed.scales === 'object' ? parsed.scales : {};
  } catch {
    return {};
  }
}

/** Record one notebook's good run into `file` (read again first: only this entry changes). */
export function saveTiming(file: string, scale: string, name: string, timing: NotebookTiming): void {
  const timings = loadTimings(file);
  timings[scale] = { ...(timings[scale] ?? {}), [name]: timing };
  const rounded = JSON.stringify({ scales: timings }, (_k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v), 2);
  fs.writeFileSync(file, `${rounded}\n`);
}

/** Where a notebook run is now, for the estimate. */
export interface RunPosition {
  /** Seconds since this notebook started. */
  notebookSeconds: number;
  /** The running code cell (0-based), or null before the first. */
  cellIndex: number | null;
  /** Seconds since that cell started. */
  cellSeconds: number;
}

/**
 * Seconds left for the running notebook and the ones after it, from their last good run;
 * `complete` false when some of them have none (the estimate is then a lower bound).
 */
export function estimateLeft(
  previous: Record<string, NotebookTiming>,
  current: string,
  position: RunPosition,
  later: readonly string[],
): { seconds: number; complete: boolean } {
  let seconds = 0;
  let complete = true;
  const now = previous[current];
  if (!now) complete = false;
  else if (position.cellIndex === null || position.cellIndex >= now.cellSeconds.length) {
    seconds += Math.max(0, now.seconds - position.notebookSeconds);
  } else {
    const cellsBefore = now.cellSeconds.slice(0, position.cellIndex).reduce((a, b) => a + b, 0);
    const cellsAfter = now.cellSeconds.slice(position.cellIndex + 1).reduce((a, b) => a + b, 0);
    const tail = Math.max(0, now.seconds - now.startupSeconds - cellsBefore - now.cellSeconds[position.cellIndex] - cellsAfter);
    seconds += Math.max(0, now.cellSeconds[position.cellIndex] - position.cellSeconds) + cellsAfter + tail;
  }
  for (const name of later) {
    const timing = previous[name];
    if (timing) seconds += timing.seconds;
    else complete = false;
  }
  return { seconds, complete };
}

/** 75 → "1m15s", 3725 → "1h02m", 9 → "9s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
