import { formatBytes } from '../model/record';
import type { SummaryRow } from '../sweep/summary';

/**
 * The sweep's closing table for the message patterns: per configuration, the median over its runs
 * of p50 and p99 round trip (µs), messages per second and each peer's CPU per message (µs).
 */
export function messageTable(rows: readonly SummaryRow[]): string {
  const header = `${'messages'.padEnd(52)} ${'runs'.padStart(5)} ${'p50 µs'.padStart(9)} ${'p99 µs'.padStart(9)} ${'msg/s'.padStart(10)} ${'MB/s'.padStart(8)} ${'cpu µs/msg s|r'.padStart(15)}`;
  const lines = rows.map((row) => {
    const name = `${row.runtime} ${row.transport} ${row.pattern} ${row.payload} ${row.codec} ${formatBytes(row.messageBytes ?? 0)} ×${row.sizeElements}`;
    const failed = row.okRuns === 0;
    const us = (seconds: number | null) => (seconds === null ? '' : (seconds * 1e6).toFixed(seconds < 1e-4 ? 1 : 0));
    const cpu = `${us(row.senderCpuSecondsPerMessage)}|${us(row.receiverCpuSecondsPerMessage)}`;
    return [
      name.padEnd(52),
      `${row.okRuns}/${row.measuredRuns}`.padStart(5),
      (failed ? 'failed' : us(row.roundTripP50Seconds)).padStart(9),
      us(row.roundTripP99Seconds).padStart(9),
      (row.messagesPerSecond === null ? '' : row.messagesPerSecond.toFixed(0)).padStart(10),
      (row.bytesPerSecond === null ? '' : (row.bytesPerSecond / 1e6).toFixed(1)).padStart(8),
      (failed ? '' : cpu).padStart(15),
    ].join(' ');
  });
  return `${[header, ...lines].join('\n')}\n`;
}
