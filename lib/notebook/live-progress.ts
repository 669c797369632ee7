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

/** The progress sink for a notebook cell; outside a tslab kernel (a script, a test), plain lines on stderr. */
export function notebookProgress(
  publish: (displayId: string, bundle: MimeBundle, update: boolean) => boolean = publishDisplay,
): ProgressSink {
  const displayId = `ipc-lab-progress-${randomBytes(6).toString('hex')}`;
  const notes: string[] = [];
  let [shown, lastUpdateMs, lastLine, failedSeen] = [false, 0, '', 0];
  let fallback: ProgressSink | null = null;

  /** Show (or update) the display; false when there is no kernel to show it. */
  const show = ({ text, html }: { text: string; html: string }, transient: ProgressTransient): boolean => {
    const now = Date.now();
    if (shown && !transient.final && now - lastUpdateMs < MIN_UPDATE_INTERVAL_MS) return true;
    if (!publish(displayId, mimeBundle({ 'text/plain': text, 'text/html': html }, { [PROGRESS_TRANSIENT_KEY]: transient }), shown))
      return false;
    [shown, lastUpdateMs] = [true, now];
    return true;
  };

  const running = (state: ProgressState, now: string): boolean => {
    const text = [...notes, `${bar(state)} ${now}`, ...(lastLine && lastLine !== now ? [lastLine] : [])].join('\n');
    const html =
      `<div class="ipc-lab-progress">${notes.map((n) => `<div>${escapeHtml(n)}</div>`).join('')}` +
      `<progress value="${state.done}" max="${state.total}" style="width: 24em;"></progress> ${state.done}/${state.total}` +
      `${state.refused > 0 ? `, ${state.refused} refused` : ''}${state.failed > 0 ? `, ${state.failed} failed` : ''}, ${formatSeconds(state.elapsedSeconds)}` +
      `<div><code>${escapeHtml(now)}</code></div></div>`;
    return show({ text, html }, { done: state.done, total: state.total, failed: state.failed, line: now, final: false });
  };

  const shownIn = (event: ProgressEvent): boolean => {
    if (event.kind === 'note') return notes.push(event.text) > 0;
    if (event.kind === 'start') return running(event.state, `${event.label} …`);
    if (event.kind === 'end') {
      const { summary } = event;
      const final = { done: summary.transfers, total: summary.planned, failed: summary.failures.length, line: summaryLine(summary) };
      return show(summaryOf(summary, notes), { ...final, final: true });
    }
    lastLine = event.line;
    // A failure is something that went wrong: it goes to stderr as well, in full. A refusal does
    // not (the same reason would come once per run): the summary lists each reason once.
    if (event.state.failed > failedSeen) process.stderr.write(`${event.line}\n`);
    failedSeen = event.state.failed;
    return running(event.state, event.line);
  };

  return callbackSink((event) => {
    if (!fallback && shownIn(event)) return;
    if (!fallback) {
      fallback = lineSink(process.stderr);
      for (const note of notes) fallback.note(note);
    }
    forward(fallback, event);
  });
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

function forward(sink: ProgressSink, event: ProgressEvent): void {
  if (event.kind === 'start') sink.start(event.label, event.state);
  else if (event.kind === 'finish') sink.finish(event.line, event.ok, event.state);
  else if (event.kind === 'note') sink.note(event.text);
  else sink.end(event.summary);
}
