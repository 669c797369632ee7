/**
 * A bench run kept on disk: both tables of `npm run bench` (every row with its raw samples) and
 * the description of the machine and code that produced them, as one `bench.json`, so a notebook
 * can load what an earlier run measured and a later analysis can recompute anything from it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shownPath } from '../model/paths';
import type { PayloadKind, RunDescription } from '../model/types';
import { UsageError } from '../model/usage-error';
import type { ChannelRow } from './channel-limits';
import type { FloorRow } from './floors';
import { writeFileAtomic } from './results-files';

/** The version of bench.json's layout; a file of another version is refused with the reason. */
export const BENCH_SCHEMA = 1;

/** What a bench run was asked to do, as its command line gave it. */
export interface BenchRunConfig {
  sizes: number[];
  repeats: number;
  transports: string[];
  codecs: 'default' | 'all' | string[];
  payloads: PayloadKind[];
  channels: string[];
}

/** One bench run: its two tables, the machine, and how long it took. */
export interface BenchRun {
  schema: number;
  description: RunDescription;
  config: BenchRunConfig;
  /** The V8 heap limit of the thread that runs the floor operations, which holds the payload and its codec's copies. */
  heapLimitMb: number;
  floorRows: FloorRow[];
  channelRows: ChannelRow[];
  /** How long the bench took; null for a bench that is a slice of a longer run (one-run.ts), its steps among others'. */
  minutes: number | null;
}

/** The file a bench run is saved as, inside its directory. */
export const BENCH_FILE = 'bench.json';

/** Save a bench run as DIR/bench.json (atomically: a reader never sees half a file). */
export function writeBenchRun(dir: string, run: BenchRun): string {
  const file = path.join(dir, BENCH_FILE);
  writeFileAtomic(file, `${JSON.stringify(run, null, 1)}\n`);
  return file;
}

/** Load DIR/bench.json; a missing, unreadable or foreign file is a one-line UsageError saying which. */
export function loadBenchRun(dir: string): BenchRun {
  const file = path.join(dir, BENCH_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(error as Error).message}`;
    throw new UsageError(`bench results ${shownPath(file)} ${why.split('\n')[0]} (run the bench with --save DIR to make one)`);
  }
  const run = parsed as Partial<BenchRun>;
  if (
    typeof run !== 'object' ||
    run === null ||
    run.schema !== BENCH_SCHEMA ||
    !Array.isArray(run.floorRows) ||
    !Array.isArray(run.channelRows)
  ) {
    throw new UsageError(
      `${shownPath(file)} is not a bench run of schema ${BENCH_SCHEMA} (schema ${JSON.stringify((run as { schema?: unknown } | null)?.schema)}): run the bench again`,
    );
  }
  // Runs saved before the chunked read was measured beside the direct one (or before rows kept their samples, or their rounds) have
  // no such columns. A row without its rounds gets byRound null, which says so: its targets fall back to its medians.
  for (const row of run.channelRows as ChannelRow[]) {
    row.chunkedSeconds ??= null;
    row.chunkedRatio ??= null;
    row.nodeSamplesSeconds ??= [];
    row.chunkedSamplesSeconds ??= [];
    row.cSamplesSeconds ??= [];
    row.nodeSpread ??= null;
    row.chunkedSpread ??= null;
    row.cSpread ??= null;
    row.byRound ??= null;
  }
  for (const row of run.floorRows as FloorRow[]) row.byRound ??= null;
  return run as BenchRun;
}
