import { formatBytes, formatRate, formatSeconds, plural } from '../model/format';
import { describeSpec } from '../model/record';
import type { TransferRecord, TransferSpec } from '../model/types';

/**
 * Progress of a sweep. `Progress` counts and words the events; a `ProgressSink` shows them: a bar
 * redrawn in place on a terminal (`terminalSink`), one plain line per transfer for logs
 * (`lineSink`), or anything else through a callback (`callbackSink`; the notebooks' updating
 * display is built on it in lib/notebook/live-progress.ts, so this module knows nothing of Jupyter).
 */

/** Where a sweep is: what a sink gets with every event. */
export interface ProgressState {
  /** Transfers ended so far (ok or failed), warm-ups included. */
  done: number;
  total: number;
  failed: number;
  elapsedSeconds: number;
}

/** A failed transfer: its label (runtime, transport, payload, size, run) and why. */
export interface ProgressFailure {
  label: string;
  error: string;
}

/** What a sweep did, for the line or display that stays after it. */
export interface SweepProgressSummary {
  transfers: number;
  planned: number;
  ok: number;
  failures: ProgressFailure[];
  seconds: number;
  /** Why the sweep stopped early ("interrupted by SIGINT"), or null when it ran to its end. */
  interrupted: string | null;
}

/** One thing that happened, as `callbackSink` hands it on. */
export type ProgressEvent =
  | { kind: 'start'; label: string; state: ProgressState }
  | { kind: 'finish'; line: string; ok: boolean; state: ProgressState }
  | { kind: 'note'; text: string }
  | { kind: 'end'; summary: SweepProgressSummary };

/** Shows a sweep's progress. Every method is called in event order, `end` once at the end. */
export interface ProgressSink {
  /** A transfer is starting. */
  start(label: string, state: ProgressState): void;
  /** A transfer ended; `line` says with what (its times, or FAILED and why). */
  finish(line: string, ok: boolean, state: ProgressState): void;
  /** A line of its own (notes of the expansion, where results go). */
  note(text: string): void;
  end(summary: SweepProgressSummary): void;
}

/** Counts the transfers of a sweep and words each event for a sink. */
export class Progress {
  private done = 0;
  private readonly failures: ProgressFailure[] = [];
  private readonly startedMs = Date.now();

  /** `sink` null: no progress at all (tests). */
  constructor(
    private readonly total: number,
    private readonly sink: ProgressSink | null = sinkFor(process.stderr),
  ) {}

  /** Say a transfer is starting. */
  start(spec: TransferSpec, repeat: number, warmup: boolean): void {
    this.sink?.start(label(spec, repeat, warmup), this.state());
  }

  /** Say a transfer ended, with its total or its error. */
  finish(record: TransferRecord): void {
    this.done++;
    const what = label(record, record.repeat, record.warmup);
    if (!record.ok) this.failures.push({ label: what, error: record.error || 'unknown error' });
    this.sink?.finish(`${what}: ${outcome(record)}`, record.ok, this.state());
  }

  /** Say a step that is not a transfer is starting (a limit program, a floor operation, the C program). */
  startStep(label: string): void {
    this.sink?.start(label, this.state());
  }

  /** Say such a step ended: `line` its outcome, `error` why it failed (empty when ok). */
  finishStep(label: string, line: string, error: string): void {
    this.done++;
    if (error) this.failures.push({ label, error });
    this.sink?.finish(`${label}: ${error ? `FAILED ${error}` : line}`, !error, this.state());
  }

  note(text: string): void {
    this.sink?.note(text);
  }

  /** Say the sweep ended (`interrupted`: why it stopped early); returns what it did. */
  end(interrupted: string | null = null): SweepProgressSummary {
    const summary: SweepProgressSummary = {
      transfers: this.done,
      planned: this.total,
      ok: this.done - this.failures.length,
      failures: [...this.failures],
      seconds: this.elapsedSeconds(),
      interrupted,
    };
    this.sink?.end(summary);
    return summary;
  }

  private state(): ProgressState {
    return { done: this.done, total: this.total, failed: this.failures.length, elapsedSeconds: this.elapsedSeconds() };
  }

  private elapsedSeconds(): number {
    return (Date.now() - this.startedMs) / 1000;
  }
}

/** A bar on a terminal, plain lines anywhere else (a pipe, a CI log). */
export function sinkFor(stream: NodeJS.WritableStream & { isTTY?: boolean }): ProgressSink {
  return stream.isTTY ? terminalSink(stream) : lineSink(stream);
}

/** One line per ended transfer (`[3/20] node pipe list 1e4 run 1: ok …`), a summary line at the end. */
export function lineSink(stream: NodeJS.WritableStream): ProgressSink {
  return {
    start: () => undefined,
    finish: (line, _ok, state) => stream.write(`[${state.done}/${state.total}] ${line}\n`),
    note: (text) => stream.write(`${text}\n`),
    end: (summary) => stream.write(`${summaryLine(summary)}\n`),
  };
}

/**
 * A bar redrawn in place (`\r` and erase-line) with what runs now; failures get a line of their
 * own above the bar, so they stay visible; the bar ends as the summary line.
 */
export function terminalSink(stream: NodeJS.WritableStream): ProgressSink {
  const redraw = (text: string) => stream.write(`\r\x1b[K${text}`);
  return {
    start: (what, state) => redraw(`${bar(state)} ${what} …`),
    finish: (line, ok, state) => {
      if (!ok) redraw(`${line}\n`);
      redraw(`${bar(state)} ${line}`);
    },
    note: (text) => redraw(`${text}\n`),
    end: (summary) => redraw(`${summaryLine(summary)}\n`),
  };
}

/** Every event to one function, in order (a notebook display, a test's list). */
export function callbackSink(onEvent: (event: ProgressEvent) => void): ProgressSink {
  return {
    start: (what, state) => onEvent({ kind: 'start', label: what, state }),
    finish: (line, ok, state) => onEvent({ kind: 'finish', line, ok, state }),
    note: (text) => onEvent({ kind: 'note', text }),
    end: (summary) => onEvent({ kind: 'end', summary }),
  };
}

/** `[#####...] 3/20` */
export function bar(state: Pick<ProgressState, 'done' | 'total'>, widthChars = 24): string {
  const filled = Math.round((state.done / Math.max(1, state.total)) * widthChars);
  return `[${'#'.repeat(filled)}${'.'.repeat(widthChars - filled)}] ${state.done}/${state.total}`;
}

/** `20 transfers in 12.3 s: 19 ok, 1 failed` (and why it stopped early, if it did). */
export function summaryLine(summary: SweepProgressSummary): string {
  const planned = plural(summary.planned, 'transfer');
  const count = summary.transfers === summary.planned ? planned : `${summary.transfers} of ${planned}`;
  const failed = summary.failures.length > 0 ? `, ${summary.failures.length} failed` : '';
  const stopped = summary.interrupted ? ` (${summary.interrupted})` : '';
  return `${count} in ${formatSeconds(summary.seconds)}: ${summary.ok} ok${failed}${stopped}`;
}

function label(spec: TransferSpec, repeat: number, warmup: boolean): string {
  return `${describeSpec(spec)} ${warmup ? 'warm-up' : 'run'} ${repeat + 1}`;
}

function outcome(record: TransferRecord): string {
  if (!record.ok) return `FAILED ${record.error}`;
  if (record.pattern === 'roundtrip') {
    return `ok  p50 ${formatSeconds(record.roundTripP50Seconds)}  p99 ${formatSeconds(record.roundTripP99Seconds)}  ${formatRate(record.messagesPerSecond, 'round trips')}`;
  }
  if (record.pattern === 'rate')
    return `ok  ${formatRate(record.messagesPerSecond, 'messages')}  total ${formatSeconds(record.totalSeconds)}`;
  return `ok  total ${formatSeconds(record.totalSeconds)}  send ${formatSeconds(record.sendSeconds)}  recv ${formatSeconds(record.recvSeconds)}${heap(record)}`;
}

/** Name the heap when it was raised above the 2 GiB floor for a large payload, so a reader knows the peers got more. */
function heap(record: TransferRecord): string {
  // V8's heap limit is in MiB (--max-old-space-size).
  return record.heapLimitMb !== null && record.heapLimitMb > 2048 ? `  (peers' V8 heap ${formatBytes(record.heapLimitMb * 2 ** 20)})` : '';
}
