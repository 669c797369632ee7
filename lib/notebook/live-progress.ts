/**
 * A sweep's progress inside a notebook: ONE output that updates in place while the cell runs (a
 * bar, what runs now, the latest transfer's line) and ends as a short summary — transfers run, ok,
 * refused (each reason once), failed with their reasons, time taken — which is all the saved
 * notebook keeps. Only a failure also goes to stderr, where it reads as what it is.
 *
 * The main job (tools/notebooks/execute.ts, through its nbclient driver) sees every update too:
 * each carries `PROGRESS_TRANSIENT_KEY` in the message's `transient` part, which Jupyter passes to
 * clients but never saves in a notebook.
 */
import { randomBytes } from 'node:crypto';
import { formatSeconds } from '../model/format';
import {
  bar,
  callbackSink,
  failureLines,
  lineSink,
  type ProgressEvent,
  type ProgressSink,
  type ProgressState,
  refusalLines,
  type SweepProgressSummary,
  summaryLine,
} from '../sweep/progress';
import { type MimeBundle, mimeBundle, publishDisplay } from './display';
import { escapeHtml } from './tables';

/** The key in a display message's `transient` part that marks it as sweep progress (read by tools/notebooks/run_notebook.py). */
export const PROGRESS_TRANSIENT_KEY = 'ipc_lab_progress';

/** What the main job reads from each progress update. */
export interface ProgressTransient {
  done: number;
  total: number;
  failed: number;
  /** The latest transfer's line, or what runs now. */
  line: string;
  /** True on the last update: the display now shows the summary. */
  final: boolean;
}

/** Updates closer together than this are skipped (the last one, the summary, never is). */
const MIN_UPDATE_INTERVAL_MS = 100;

/**
 * The progress sink for a notebook cell. Outside a tslab kernel (a script, a test) it falls back
 * to plain lines on stderr.
 */
export function notebookProgress(
  publish: (displayId: string, bundle: MimeBundle, update: boolean) => boolean = publishDisplay,
): ProgressSink {
  const displayId = `ipc-lab-progress-${randomBytes(6).toString('hex')}`;
  const notes: string[] = [];
  let shown = false;
  let fallback: ProgressSink | null = null;
  let lastUpdateMs = 0;
  let lastLine = '';
  let failedSeen = 0;

  const show = (bundle: MimeBundle, final: boolean): void => {
    const now = Date.now();
    if (shown && !final && now - lastUpdateMs < MIN_UPDATE_INTERVAL_MS) return;
    if (!publish(displayId, bundle, shown)) {
      fallback = lineSink(process.stderr);
      for (const note of notes) fallback.note(note);
      return;
    }
    shown = true;
    lastUpdateMs = now;
  };

  const running = (state: ProgressState, now: string): void => {
    const text = [...notes, `${bar(state)} ${now}`, ...(lastLine && lastLine !== now ? [lastLine] : [])].join('\n');
    const html =
      `<div class="ipc-lab-progress">${notes.map((n) => `<div>${escapeHtml(n)}</div>`).join('')}` +
      `<progress value="${state.done}" max="${state.total}" style="width: 24em;"></progress> ${state.done}/${state.total}` +
      `${state.refused > 0 ? `, ${state.refused} refused` : ''}${state.failed > 0 ? `, ${state.failed} failed` : ''}, ${formatSeconds(state.elapsedSeconds)}` +
      `<div><code>${escapeHtml(now)}</code></div></div>`;
    show(bundleOf(text, html, { done: state.done, total: state.total, failed: state.failed, line: now, final: false }), false);
  };

  const onEvent = (event: ProgressEvent): void => {
    if (fallback) {
      forward(fallback, event);
      return;
    }
    if (event.kind === 'note') notes.push(event.text);
    else if (event.kind === 'start') running(event.state, `${event.label} …`);
    else if (event.kind === 'finish') {
      lastLine = event.line;
      // A failure is something that went wrong: it goes to stderr as well, in full. A refusal does
      // not (the same reason would come once per run): the summary lists each reason once.
      if (event.state.failed > failedSeen) process.stderr.write(`${event.line}\n`);
      failedSeen = event.state.failed;
      running(event.state, event.line);
    } else {
      const { text, html } = summaryOf(event.summary, notes);
      show(
        bundleOf(text, html, {
          done: event.summary.transfers,
          total: event.summary.planned,
          failed: event.summary.failures.length,
          line: summaryLine(event.summary),
          final: true,
        }),
        true,
      );
    }
    if (fallback) forward(fallback, event);
  };
  return callbackSink(onEvent);
}

/** The summary that stays in the saved notebook: one line, the notes, each refusal once and each failure with why. */
export function summaryOf(summary: SweepProgressSummary, notes: readonly string[] = []): { text: string; html: string } {
  const head = `Sweep: ${summaryLine(summary)}.`;
  const refusals = refusalLines(summary);
  const failures = failureLines(summary);
  const text = [head, ...notes, ...[...refusals, ...failures].map((line) => `  ${line}`)].join('\n');
  const list = (items: string[]) => (items.length > 0 ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : '');
  const html =
    `<div class="ipc-lab-progress-summary"><b>Sweep:</b> ${escapeHtml(summaryLine(summary))}.` +
    `${notes.map((n) => `<div>${escapeHtml(n)}</div>`).join('')}` +
    `${refusals.length > 0 ? `<div>Refused:</div>${list(refusals)}` : ''}` +
    `${failures.length > 0 ? `<div>Failed:</div>${list(failures)}` : ''}</div>`;
  return { text, html };
}

function bundleOf(text: string, html: string, transient: ProgressTransient): MimeBundle {
  return mimeBundle({ 'text/plain': text, 'text/html': html }, { [PROGRESS_TRANSIENT_KEY]: transient });
}

function forward(sink: ProgressSink, event: ProgressEvent): void {
  if (event.kind === 'start') sink.start(event.label, event.state);
  else if (event.kind === 'finish') sink.finish(event.line, event.ok, event.state);
  else if (event.kind === 'note') sink.note(event.text);
  else sink.end(event.summary);
}
