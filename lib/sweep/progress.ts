import { formatBytes, formatRate, formatSeconds, plural } from '../model/format';
import { describeFailure, describeSpec } from '../model/record';
import type { FailedPhase, TransferRecord, TransferSpec } from '../model/types';

/**
 * Progress of a sweep. `Progress` counts and words the events; a `ProgressSink` shows them: a bar
 * redrawn in place on a terminal (`terminalSink`), one plain line per transfer for logs
 * (`lineSink`), or anything else through a callback (`callbackSink`; the notebooks' updating
 * display is built on it in lib/notebook/live-progress.ts, so this module knows nothing of Jupyter).
 */

/** Where a sweep is: what a sink gets with every event. */
export interface ProgressState {
  /** Transfers ended so far (ok, refused or failed), warm-ups included. */
  done: number;
  total: number;
  /** Of those, refused by the limits (phase `limits`): they cannot work by design. */
  refused: number;
  /** Of those, failed at run time (any other phase). */
  failed: number;
  elapsedSeconds: number;
}

/** A failed transfer: its label (runtime, transport, payload, size, run), the phase and why. */
export interface ProgressFailure {
  label: string;
  failedPhase: FailedPhase | '';
  error: string;
}

/** One reason the limits refused transfers for, however many runs it refused. */
export interface ProgressRefusal {
  error: string;
  /** What was refused, without the run (`node ipc-json roundtrip object 8 B × 1e4`), each once. */
  labels: string[];
  /** How many runs (repeats, rounds, warm-ups) it refused. */
  runs: number;
}

/**
 * How a step that is not a transfer ended badly: the phase (`limits` for a refusal), why, and
 * `what` it measures without its round (how a refusal names it, once for all its rounds).
 */
export type StepFailure = { failedPhase: FailedPhase; error: string; what: string };

/** What a sweep did, for the line or display that stays after it. */
export interface SweepProgressSummary {
  transfers: number;
  planned: number;
  ok: number;
  /** Runs the limits refused (see refusals for why, each reason once). */
  refused: number;
  refusals: ProgressRefusal[];
  /** Runs that failed, each with why. */
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
  /** A transfer ended; `line` says with what (its times, or refused or failed and why); `ok` false for both. */
  finish(line: string, ok: boolean, state: ProgressState): void;
  /** A line of its own (notes of the expansion, where results go). */
  note(text: string): void;
  end(summary: SweepProgressSummary): void;
}

/** Counts the transfers of a sweep and words each event for a sink. */
export class Progress {
  private done = 0;
  private refused = 0;
  private readonly refusals = new Map<string, ProgressRefusal>();
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
    const what = label(record, record.repeat, record.warmup);
    this.ended(describeSpec(record), what, record.ok ? null : record, outcome(record));
  }

  /** Say a step that is not a transfer is starting (a limit program, a floor operation, the C program). */
  startStep(label: string): void {
    this.sink?.start(label, this.state());
  }

  /** Say such a step ended: `line` its outcome when ok, `failure` what went wrong (null when ok). */
  finishStep(label: string, line: string, failure: StepFailure | null): void {
    this.ended(failure?.what ?? label, label, failure, failure ? describeFailure(failure) : line);
  }

  /**
   * Count a run that ended (a refusal once per reason) and show its line. A refusal's reason is
   * shown the first time only: the same reason again (every round of one impossible size) says so
   * in a few words, and the summary lists each reason once with its count.
   */
  private ended(what: string, label: string, failure: FailureOfRun | null, line: string): void {
    this.done++;
    if (failure?.failedPhase === 'limits') {
      this.refused++;
      if (this.refusals.has(failure.error)) line = 'refused, for the reason given above';
      const refusal = this.refusals.get(failure.error) ?? { error: failure.error, labels: [], runs: 0 };
      if (!refusal.labels.includes(what)) refusal.labels.push(what);
      refusal.runs++;
      this.refusals.set(failure.error, refusal);
    } else if (failure) {
      this.failures.push({ label, failedPhase: failure.failedPhase, error: failure.error });
    }
    this.sink?.finish(`${label}: ${line}`, failure === null, this.state());
  }

  note(text: string): void {
    this.sink?.note(text);
  }

  /** Say the sweep ended (`interrupted`: why it stopped early); returns what it did. */
  end(interrupted: string | null = null): SweepProgressSummary {
    const summary: SweepProgressSummary = {
      transfers: this.done,
      planned: this.total,
      ok: this.done - this.refused - this.failures.length,
      refused: this.refused,
      refusals: [...this.refusals.values()].map((r) => ({ ...r, labels: [...r.labels] })),
      failures: [...this.failures],
      seconds: this.elapsedSeconds(),
      interrupted,
    };
    this.sink?.end(summary);
    return summary;
  }

  private state(): ProgressState {
    return {
      done: this.done,
      total: this.total,
      refused: this.refused,
      failed: this.failures.length,
      elapsedSeconds: this.elapsedSeconds(),
    };
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
    end: (summary) => stream.write([summaryLine(summary), ...refusalLines(summary)].map((l) => `${l}\n`).join('')),
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
    end: (summary) => redraw([summaryLine(summary), ...refusalLines(summary)].map((l) => `${l}\n`).join('')),
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

/** `20 transfers in 12.3 s: 17 ok, 2 refused, 1 failed` (and why it stopped early, if it did). */
export function summaryLine(summary: SweepProgressSummary): string {
  const planned = plural(summary.planned, 'transfer');
  const count = summary.transfers === summary.planned ? planned : `${summary.transfers} of ${planned}`;
  const refused = summary.refused > 0 ? `, ${summary.refused} refused` : '';
  const failed = summary.failures.length > 0 ? `, ${summary.failures.length} failed` : '';
  const stopped = summary.interrupted ? ` (${summary.interrupted})` : '';
  return `${count} in ${formatSeconds(summary.seconds)}: ${summary.ok} ok${refused}${failed}${stopped}`;
}

/**
 * Each reason the limits refused runs for, once: what it refused, how many runs when more than
 * one, and why (`node ipc-json roundtrip object 8 B × 1e4 (6 runs): refused: …`).
 */
export function refusalLines(summary: Pick<SweepProgressSummary, 'refusals'>): string[] {
  return summary.refusals.map(
    (r) => `${r.labels.join(', ')}${r.runs > 1 ? ` (${r.runs} runs)` : ''}: ${describeFailure({ failedPhase: 'limits', error: r.error })}`,
  );
}

/** Each failure of a summary on its line: its run and why (`node tcp int32 1e4 run 1: failed (transfer): …`). */
export function failureLines(summary: Pick<SweepProgressSummary, 'failures'>): string[] {
  return summary.failures.map((f) => `${f.label}: ${describeFailure(f)}`);
}

type FailureOfRun = Pick<ProgressFailure, 'failedPhase' | 'error'>;

function label(spec: TransferSpec, repeat: number, warmup: boolean): string {
  return `${describeSpec(spec)} ${warmup ? 'warm-up' : 'run'} ${repeat + 1}`;
}

function outcome(record: TransferRecord): string {
  if (!record.ok) return describeFailure(record);
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
