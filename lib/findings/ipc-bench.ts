/**
 * ipc-bench's published ping-pong rates (data/ipc-bench/message-rates.json) as typed rows, and
 * beside them this run's round trips per second over the same kinds of channel. The numbers are
 * goldsborough/ipc-bench's, measured on the machine its README names; see data/ipc-bench/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../model/paths';
import { type MessageRun, type MessageSource, pointsOf } from './messages';

const IPC_BENCH_FILE = path.join(REPO_ROOT, 'data', 'ipc-bench', 'message-rates.json');

/** What the file must say of where its numbers come from; its `unit`, `msg/s`, counts a message and its answer once. */
const SOURCE_KEYS = ['repository', 'url', 'file', 'commit', 'machine', 'method', 'unit'] as const;

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
  /** Where the numbers come from, as the file records it. */
  source: Record<(typeof SOURCE_KEYS)[number], string>;
  messageBytes: number[];
  rows: IpcBenchRow[];
}

const bad = (what: string) => new Error(`data/ipc-bench/message-rates.json: ${what}`);

/** Load and check the file: every row has one rate per size, each a positive number, or null for a broken mechanism. */
export function ipcBenchRates(file = IPC_BENCH_FILE): IpcBenchRates {
  const rates = JSON.parse(fs.readFileSync(file, 'utf8')) as IpcBenchRates;
  const sizes = rates.messageBytes;
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every((b) => Number.isInteger(b) && b > 0))
    throw bad(`messageBytes ${JSON.stringify(sizes)} is not a list of positive whole numbers`);
  for (const key of SOURCE_KEYS)
    if (typeof rates.source?.[key] !== 'string' || rates.source[key] === '') throw bad(`source.${key} is missing`);
  for (const { mechanism, roundTripsPerSecond: perSecond, broken } of rates.rows) {
    if (!Array.isArray(perSecond) || perSecond.length !== sizes.length)
      throw bad(`${mechanism}: ${JSON.stringify(perSecond)} is not one rate per size (${sizes.join(', ')} B)`);
    for (const rate of perSecond) {
      const ok = broken ? rate === null : typeof rate === 'number' && Number.isFinite(rate) && rate > 0;
      if (!ok) throw bad(`${mechanism}: rate ${JSON.stringify(rate)} is not ${broken ? 'null (broken)' : 'a positive number'}`);
    }
  }
  return rates;
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

/** Each ipc-bench mechanism beside this message run (see IpcBenchComparison). */
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
