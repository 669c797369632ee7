import { formatBytes, formatBytesPerSecond, formatCount, formatSeconds } from '../model/format';
import { noTimeWord, type SummaryRow } from '../sweep/summary';

/**
 * The sweep's closing table for the message patterns: per configuration, the median over its runs
 * of p50 and p99 round trip, messages and bytes per second, and each peer's CPU per message
 * (sender | receiver).
 */
export function messageTable(rows: readonly SummaryRow[]): string {
  const header = `${'messages'.padEnd(52)} ${'runs'.padStart(5)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'msg/s'.padStart(7)} ${'bytes/s'.padStart(11)} ${'cpu/msg s|r'.padStart(19)}`;
  const lines = rows.map((row) => {
    const name = `${row.runtime} ${row.transport} ${row.pattern} ${row.payload} ${row.codec} ${formatBytes(row.messageBytes ?? 0)} ×${row.sizeElements}`;
    const failed = row.okRuns === 0;
    const cpu = `${formatSeconds(row.senderCpuSecondsPerMessage)}|${formatSeconds(row.receiverCpuSecondsPerMessage)}`;
    return [
      name.padEnd(52),
      `${row.okRuns}/${row.measuredRuns}`.padStart(5),
      (failed ? noTimeWord(row) : formatSeconds(row.roundTripP50Seconds)).padStart(9),
      formatSeconds(row.roundTripP99Seconds).padStart(9),
      formatCount(row.messagesPerSecond).padStart(7),
      formatBytesPerSecond(row.bytesPerSecond).padStart(11),
      (failed ? '' : cpu).padStart(19),
    ].join(' ');
  });
  return `${[header, ...lines].join('\n')}\n`;
}
