/**
 * What `npm run notebooks` shows while it runs: notebook k of n, its code cell i of m, the latest
 * transfer line forwarded from the kernel, time elapsed and an estimate of the time left. On a
 * terminal, one status line redrawn in place (with the per-notebook result lines above it);
 * anywhere else (a CI log, a pipe), plain lines.
 */
import { estimateLeft, formatDuration, type NotebookTiming } from './timings';

/** A JSON line of tools/notebooks/run_notebook.py. */
export type DriverEvent =
  | { event: 'start'; codeCells: number }
  | { event: 'cell'; index: number; cellIndex: number }
  | { event: 'cell-done'; index: number; seconds: number }
  | { event: 'progress'; done: number; total: number; failed: number; line: string; final: boolean }
  | { event: 'saved'; path: string };

/** The main job's display. */
export class ProgressView {
  private notebook = '';
  private position = 0;
  private codeCells = 0;
  private cell: number | null = null;
  private notebookStartedMs = 0;
  private cellStartedMs = 0;
  private transfer = '';
  private statusShown = false;
  private readonly runStartedMs = Date.now();
  private timer: NodeJS.Timeout | null = null;

  /**
   * `names`: every notebook of this run, in order; `previous`: their last good run at this scale.
   * `stream` null shows nothing.
   */
  constructor(
    private readonly names: readonly string[],
    private readonly previous: Record<string, NotebookTiming>,
    private readonly stream: (NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) | null,
  ) {}

  private get tty(): boolean {
    return Boolean(this.stream?.isTTY);
  }

  /** A notebook starts; `intro` says at what scale and with what limit. */
  notebookStarts(name: string, intro: string): void {
    this.notebook = name;
    this.position = this.names.indexOf(name) + 1;
    this.codeCells = 0;
    this.cell = null;
    this.transfer = '';
    this.notebookStartedMs = Date.now();
    this.line(`${name} (${this.position} of ${this.names.length}): ${intro}${this.leftText(' — ')}`);
    if (this.tty && !this.timer) {
      // Elapsed time and the estimate move on even while a long transfer sends nothing.
      this.timer = setInterval(() => this.status(), 1000);
      this.timer.unref();
    }
    this.status();
  }

  /** An event from the driver of the running notebook. */
  driver(event: DriverEvent): void {
    if (event.event === 'start') this.codeCells = event.codeCells;
    else if (event.event === 'cell') {
      this.cell = event.index;
      this.cellStartedMs = Date.now();
      this.transfer = '';
      if (!this.tty) this.line(`${this.notebook} cell ${event.index + 1}/${this.codeCells} running${this.leftText(', ')}`);
    } else if (event.event === 'progress') {
      this.transfer = event.final ? `sweep: ${event.line}` : `[${event.done}/${event.total}] ${event.line}`;
      // On a terminal only the latest line shows, so a failure (or a sweep that had some) gets a line of its own.
      const failure = event.final ? event.failed > 0 : event.line.includes(': FAILED ');
      if (!this.tty || failure) this.line(`${this.notebook} cell ${(this.cell ?? 0) + 1}/${this.codeCells}: ${this.transfer}`);
    }
    this.status();
  }

  /** A line of its own (a notebook's result), above the status line on a terminal. */
  line(text: string): void {
    if (!this.stream) return;
    if (this.tty) this.stream.write('\r\x1b[K');
    this.stream.write(`${text}\n`);
    this.statusShown = false;
    this.status();
  }

  /** Stop redrawing and clear the status line. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty && this.statusShown) this.stream?.write('\r\x1b[K');
    this.statusShown = false;
  }

  /** The status line, as the terminal shows it. */
  statusText(): string {
    const cell = this.cell === null ? 'starting the kernel' : `cell ${this.cell + 1}/${this.codeCells || '?'}`;
    const elapsed = formatDuration((Date.now() - this.runStartedMs) / 1000);
    const parts = [
      `${this.bar()} [${this.position}/${this.names.length}] ${this.notebook}`,
      cell,
      `${elapsed} elapsed${this.leftText(', ')}`,
    ];
    if (this.transfer) parts.push(this.transfer);
    return parts.join(' | ');
  }

  /** How far the whole run is: by the estimate where every notebook has an earlier run, else by notebooks and cells. */
  private bar(widthChars = 20): string {
    const left = this.left();
    const elapsedSeconds = (Date.now() - this.runStartedMs) / 1000;
    const cellPart = this.cell === null || this.codeCells === 0 ? 0 : this.cell / this.codeCells;
    const fraction = left.complete
      ? elapsedSeconds / Math.max(1e-9, elapsedSeconds + left.seconds)
      : (this.position - 1 + cellPart) / Math.max(1, this.names.length);
    const filled = Math.min(widthChars, Math.round(fraction * widthChars));
    return `[${'#'.repeat(filled)}${'.'.repeat(widthChars - filled)}]`;
  }

  private status(): void {
    if (!this.tty || !this.stream || !this.notebook) return;
    // A pseudo-terminal may report 0 columns (script(1), some CI runners): take 100 then.
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    const text = this.statusText();
    this.stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.statusShown = true;
  }

  /** `~3m10s left`, `≥1m05s left` (some notebooks have no earlier run), or nothing when none has. */
  private leftText(prefix: string): string {
    if (!this.notebook) return '';
    const left = this.left();
    if (left.seconds === 0 && !left.complete) return '';
    return `${prefix}${left.complete ? '~' : '≥'}${formatDuration(left.seconds)} left`;
  }

  private left(): { seconds: number; complete: boolean } {
    const later = this.names.slice(this.position);
    const now = Date.now();
    return estimateLeft(
      this.previous,
      this.notebook,
      {
        notebookSeconds: (now - this.notebookStartedMs) / 1000,
        cellIndex: this.cell,
        cellSeconds: (now - this.cellStartedMs) / 1000,
      },
      later,
    );
  }
}
