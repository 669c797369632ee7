/**
 * ipc-bench's published ping-pong rates beside this run's round trips per second, as a table
 * (lib/findings/ipc-bench.ts computes the comparison).
 */
import { IPC_BENCH_OUR_BYTES, type IpcBenchComparison, type IpcBenchRates } from '../findings/ipc-bench';
import { formatBytes, MISSING } from '../model/format';

/** The comparison as a table: ipc-bench's published rates, then the C program's, bare Node's and Node's transport's here. */
export function ipcBenchTableRows(rows: readonly IpcBenchComparison[], rates: IpcBenchRates): Record<string, string | number | null>[] {
  const sized = (what: string, values: (number | null)[], sizes: readonly number[]) =>
    Object.fromEntries(sizes.map((b, i) => [`${what} ${formatBytes(b)}`, values[i]]));
  return rows.map((r) => ({
    'ipc-bench mechanism': r.broken ? `${r.mechanism} (broken)` : r.mechanism,
    ...sized('published', r.published, rates.messageBytes),
    'channel here': r.channel ?? MISSING,
    ...sized('C', r.c, IPC_BENCH_OUR_BYTES),
    ...sized('bare Node', r.bareNode, IPC_BENCH_OUR_BYTES),
    'Node transport': r.nodeTransport ?? MISSING,
    ...sized('Node', r.node, IPC_BENCH_OUR_BYTES),
  }));
}
