/**
 * ipc-bench's published ping-pong rates (data/ipc-bench/message-rates.json) as typed rows, and
 * beside them this run's round trips per second over the same kinds of channel. The numbers are
 * goldsborough/ipc-bench's, measured on the machine its README names; see data/ipc-bench/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type MessageRun, type MessageSource, pointsOf } from '../findings/messages';
import { formatBytes, MISSING } from '../model/format';
import { REPO_ROOT } from '../model/paths';

/** Where the cited file lives. */
export const IPC_BENCH_FILE = path.join(REPO_ROOT, 'data', 'ipc-bench', 'message-rates.json');

/** Where the numbers come from, as the file records it. */
export interface IpcBenchSource {
  repository: string;
  url: string;
  file: string;
  commit: string;
  machine: string;
  method: string;
  /** `msg/s`: round trips per second (a message and its answer count once). */
  unit: string;
}

/** One mechanism: its published round trips per second at each of the file's message sizes (null where it has none). */
export interface IpcBenchRow {
  mechanism: string;
  /** The ipc-lab channel doing the same kind of thing (`pipe`, `unix`, `tcp`, `shm`), or null. */
  channel: string | null;
  /** Round trips per second, one per entry of `messageBytes`; null when the mechanism is broken. */
  roundTripsPerSecond: (number | null)[];
  broken: boolean;
}

/** The whole cited data set. */
export interface IpcBenchRates {
  source: IpcBenchSource;
  messageBytes: number[];
  rows: IpcBenchRow[];
}

const bad = (what: string) => new Error(`data/ipc-bench/message-rates.json: ${what}`);

/** Load and check the file: every row has one rate per size, each a positive number, or null for a broken mechanism. */
export function ipcBenchRates(file = IPC_BENCH_FILE): IpcBenchRates {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    source: IpcBenchSource;
    messageBytes: number[];
    rows: { mechanism: string; channel: string | null; ratesPerSecond: (number | null)[]; broken: boolean }[];
  };
  const sizes = raw.messageBytes;
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every((b) => Number.isInteger(b) && b > 0))
    throw bad(`messageBytes ${JSON.stringify(sizes)} is not a list of positive whole numbers`);
  for (const key of ['repository', 'commit', 'machine', 'method', 'unit'] as const) {
    if (typeof raw.source?.[key] !== 'string' || raw.source[key] === '') throw bad(`source.${key} is missing`);
  }
  const rows = raw.rows.map((r) => {
    const rates = r.ratesPerSecond;
    if (!Array.isArray(rates) || rates.length !== sizes.length)
      throw bad(`${r.mechanism}: ${JSON.stringify(rates)} is not one rate per size (${sizes.join(', ')} B)`);
    for (const rate of rates) {
      const ok = r.broken ? rate === null : typeof rate === 'number' && Number.isFinite(rate) && rate > 0;
      if (!ok) throw bad(`${r.mechanism}: rate ${JSON.stringify(rate)} is not ${r.broken ? 'null (broken)' : 'a positive number'}`);
    }
    return { mechanism: r.mechanism, channel: r.channel, roundTripsPerSecond: rates, broken: r.broken };
  });
  return { source: raw.source, messageBytes: sizes, rows };
}

/** The sizes of this run set beside ipc-bench's (its file's messageBytes, 100 B and 1 KiB), one for one: 64 B, the nearest the experiment runs, and 1 KiB. */
export const IPC_BENCH_OUR_BYTES = [64, 1024] as const;

/** The Node transport standing for an ipc-bench channel. */
const NODE_FOR_CHANNEL: Readonly<Record<string, string>> = { pipe: 'pipe', unix: 'unix', tcp: 'tcp', shm: 'ring' };

/**
 * One ipc-bench mechanism beside this run: round trips per second, each list at ipc-bench's sizes
 * (published) or at IPC_BENCH_OUR_BYTES (this run: 1 ÷ the mean round trip).
 */
export interface IpcBenchComparison {
  mechanism: string;
  broken: boolean;
  /** The ipc-lab channel of the same kind, the C program's and bare Node's (`shm`: C only). */
  channel: string | null;
  nodeTransport: string | null;
  published: (number | null)[];
  c: (number | null)[];
  bareNode: (number | null)[];
  node: (number | null)[];
  /** This run's C ÷ published, at each pair of sizes. */
  cOverPublished: (number | null)[];
}

export function ipcBenchComparison(run: MessageRun, rates: IpcBenchRates = ipcBenchRates()): IpcBenchComparison[] {
  const { at } = pointsOf(run);
  const ours = (source: MessageSource, label: string | null) =>
    IPC_BENCH_OUR_BYTES.map((b) => at(source, label, 'roundtrip', b)?.messagesPerSecond ?? null);
  return rates.rows.map((r) => {
    const published = r.roundTripsPerSecond;
    const c = ours('c', r.channel);
    const nodeTransport = (r.channel && NODE_FOR_CHANNEL[r.channel]) ?? null;
    return {
      mechanism: r.mechanism,
      broken: r.broken,
      channel: r.channel,
      nodeTransport,
      published,
      c,
      bareNode: ours('node-minimal', r.channel === 'shm' ? null : r.channel),
      node: ours('node', nodeTransport),
      cOverPublished: c.map((v, i) => (v !== null && published[i] ? v / (published[i] as number) : null)),
    };
  });
}

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
