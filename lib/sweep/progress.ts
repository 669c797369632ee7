import { describeSpec } from '../model/record';
import type { TransferRecord, TransferSpec } from '../model/types';

/**
 * Progress of a sweep on stderr: a bar redrawn in place on a terminal, one plain line per transfer
 * otherwise (CI logs, notebooks). Failures always get a line of their own, so they stay visible.
 */
export class Progress {
  private done = 0;
  private readonly startedMs = Date.now();
  private readonly tty: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Say a transfer is starting (only drawn on a terminal: the bar shows what is running). */
  start(spec: TransferSpec, repeat: number, warmup: boolean): void {
    if (this.quiet || !this.tty) return;
    this.stream.write(`\r\x1b[K${this.bar()} ${label(spec, repeat, warmup)} …`);
  }

  /** Say a transfer ended, with its total or its error. */
  finish(record: TransferRecord): void {
    this.done++;
    if (this.quiet) return;
    const what = label(record, record.repeat, record.warmup);
    const outcome = record.ok
      ? `ok  total ${seconds(record.totalSeconds)}  send ${seconds(record.sendSeconds)}  recv ${seconds(record.recvSeconds)}${heap(record)}`
      : `FAILED ${record.error}`;
    if (this.tty) {
      this.stream.write(`\r\x1b[K`);
      if (!record.ok) this.stream.write(`${what}: ${outcome}\n`);
      if (this.done < this.total) this.stream.write(`${this.bar()} ${what}: ${outcome}`);
      else this.stream.write(`${this.bar()} done in ${((Date.now() - this.startedMs) / 1000).toFixed(1)} s\n`);
    } else {
      this.stream.write(`[${this.done}/${this.total}] ${what}: ${outcome}\n`);
    }
  }

  /** A line of its own (notes, where results go). */
  note(text: string): void {
    if (this.quiet) return;
    this.stream.write(this.tty ? `\r\x1b[K${text}\n` : `${text}\n`);
  }

  private bar(): string {
    const width = 24;
    const filled = Math.round((this.done / Math.max(1, this.total)) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}`;
  }
}

function label(spec: TransferSpec, repeat: number, warmup: boolean): string {
  return `${describeSpec(spec)} ${warmup ? 'warm-up' : 'run'} ${repeat + 1}`;
}

function seconds(value: number | null): string {
  if (value === null) return '–';
  return value >= 0.1 ? `${value.toFixed(2)} s` : `${(value * 1000).toFixed(2)} ms`;
}

/** Name the heap when it was raised above the 2 GiB floor for a large payload, so a reader knows the peers got more. */
function heap(record: TransferRecord): string {
  return record.heapLimitMb !== null && record.heapLimitMb > 2048 ? `  (peers' V8 heap ${(record.heapLimitMb / 1024).toFixed(1)} GiB)` : '';
}
