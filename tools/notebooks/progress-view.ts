/**
 * What `npm run notebooks` shows while its notebooks execute: notebook k of n and its code cell i
 * of m, and a transfer line when a notebook measures for itself. (The one run before them shows
 * the loop's own progress, lib/sweep/progress.ts; the notebooks then take seconds each.) On a
 * terminal, one status line redrawn in place under the result lines; anywhere else (a CI log, a
 * pipe), plain lines.
 */

/** A JSON line of tools/notebooks/run_notebook.py. */
export type DriverEvent =
  | { event: 'start'; codeCells: number }
  | { event: 'cell'; index: number; cellIndex: number }
  | { event: 'cell-done'; index: number; seconds: number }
  | { event: 'progress'; done: number; total: number; failed: number; line: string; final: boolean }
  | { event: 'saved'; path: string };

/** Where the main job draws: stdout, or a test's stream. */
export type Display = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** The main job's display while the notebooks execute. */
export class ProgressView {
  private notebook = '';
  private codeCells = 0;
  private cell: number | null = null;
  private transfer = '';
  /** Failures the running sweep had at its previous update: one more means this line is a failure. */
  private failedSeen = 0;
  private readonly tty: boolean;

  /** `names`: every notebook of this run, in order; `stream` null shows nothing. */
  constructor(
    private readonly names: readonly string[],
    private readonly stream: Display | null,
  ) {
    this.tty = Boolean(stream?.isTTY);
  }

  /** A notebook starts; `intro` says at what scale and with what limit. */
  notebookStarts(name: string, intro: string): void {
    [this.notebook, this.codeCells, this.cell, this.transfer] = [name, 0, null, ''];
    this.line(`${name} (${this.position()} of ${this.names.length}): ${intro}`);
  }

  /** An event from the driver of the running notebook. */
  driver(event: DriverEvent): void {
    if (event.event === 'start') this.codeCells = event.codeCells;
    else if (event.event === 'cell') {
      this.cell = event.index;
      this.transfer = '';
      this.failedSeen = 0;
      if (!this.tty) this.line(`${this.notebook}: ${this.cellText()}`);
    } else if (event.event === 'progress') {
      this.transfer = event.final ? `sweep: ${event.line}` : `[${event.done}/${event.total}] ${event.line}`;
      // On a terminal only the latest line shows, so a failure (or a sweep that had some) gets a line of its own.
      const failure = event.final ? event.failed > 0 : event.failed > this.failedSeen;
      this.failedSeen = event.final ? 0 : event.failed;
      if (!this.tty || failure) this.line(`${this.notebook} ${this.cellText()}: ${this.transfer}`);
    }
    this.status();
  }

  /** A line of its own (a notebook's result), above the status line on a terminal. */
  line(text: string): void {
    if (!this.stream) return;
    if (this.tty) this.stream.write('\r\x1b[K');
    this.stream.write(`${text}\n`);
    this.status();
  }

  /** Clear the status line. */
  close(): void {
    if (this.tty) this.stream?.write('\r\x1b[K');
  }

  /** The status line, as the terminal shows it. */
  statusText(): string {
    const where = `notebook ${this.position()} of ${this.names.length}: ${this.notebook}, ${this.cellText()}`;
    return this.transfer ? `${where} | ${this.transfer}` : where;
  }

  private position(): number {
    return this.names.indexOf(this.notebook) + 1;
  }

  private cellText(): string {
    return this.cell === null ? 'starting the kernel' : `cell ${this.cell + 1} of ${this.codeCells || '?'}`;
  }

  private status(): void {
    if (!this.tty || !this.stream || !this.notebook) return;
    // A pseudo-terminal may report 0 columns (script(1), some CI runners): take 100 then.
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    const text = this.statusText();
    this.stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
  }
}
