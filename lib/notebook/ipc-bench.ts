/**
 * ipc-bench's published ping-pong rates (data/ipc-bench/message-rates.json) as typed rows, so the
 * messages notebook can set them beside this run's round trips. The numbers are goldsborough/ipc-bench's,
 * measured on the machine its README names; see data/ipc-bench/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** One line for captions: the source, its commit and its machine. */
export function ipcBenchCitation(rates: IpcBenchRates = ipcBenchRates()): string {
  const s = rates.source;
  return `${s.repository} README.md @ ${s.commit.slice(0, 7)} (published; ${s.machine}; ${s.method}; "${s.unit}" = round trips per second)`;
}
