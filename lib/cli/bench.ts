import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { NODE_TRANSPORTS } from '../model/catalog';
import { checkRepeats, checkTimeoutSeconds, parseNumberText } from '../model/checks';
import { pickNames, splitList } from '../model/names';
import { formatSize } from '../model/record';
import { parseSizes } from '../model/sizes';
import { CODEC_NAMES, PAYLOADS } from '../model/types';
import { UsageError } from '../model/usage-error';
import { BENCH_CHANNELS, type BenchChannel } from '../sweep/channel-limits';
import { benchCsv, benchReport, channelLine, floorLine } from './bench-print';
import { type BenchLoopOptions, runChannelTable, runFloorTable } from './bench-run';

/**
 * `npm run bench`: two tables, measured side by side in one run (this machine is shared and noisy,
 * so only ratios of interleaved runs mean much):
 * 1. per transport, codec and size, the transport's total ÷ its **floor**, the sum of the
 *    operations its mechanism cannot avoid, each measured alone and interleaved with the
 *    transport's own runs (which operations: lib/sweep/floors.ts) — what ipc-lab costs;
 * 2. per channel (pipe, unix, tcp, shm), Node's raw channel ÷ the C program (native/ipc_baseline.c)
 *    moving the same bytes into a fresh destination — what Node costs.
 * This file parses and prints; the loops are bench-run.ts, the tables bench-print.ts.
 */
const USAGE = `Usage: npm run bench -- [options]
  --sizes 1e7,1e8         element counts (default 1e7,1e8)
  --repeats 3             interleaved repeats per row; medians (default 3)
  --transports all        or a list: pipe,tcp,…
  --codecs default        default: v8,raw for pipe, tcp, unix, file, manager and the only codec of the others;
                          all: every codec each transport takes; or a list (v8,json,raw,msgpackr,packed,clone,none)
  --payload int32         int32 or list (default int32)
  --channels all          the second table's channels: all, none, or a list of pipe,unix,tcp,shm
  --timeout 600           seconds a transfer may take
  --out FILE.csv          both tables as one CSV
`;

function parseBenchArgs(argv: string[]): BenchLoopOptions & { out: string | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '1e7,1e8' },
      repeats: { type: 'string', default: '3' },
      transports: { type: 'string', default: 'all' },
      codecs: { type: 'string', default: 'default' },
      payload: { type: 'string', default: 'int32' },
      channels: { type: 'string', default: 'all' },
      timeout: { type: 'string', default: '600' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const codecsText = String(values.codecs);
  const channelsText = String(values.channels);
  return {
    sizes: parseSizes(String(values.sizes)),
    repeats: checkRepeats(parseNumberText('repeats', String(values.repeats))),
    transports: pickNames(
      'transport',
      String(values.transports),
      NODE_TRANSPORTS.map((t) => t.id),
      true,
    ),
    codecs: codecsText === 'default' || codecsText === 'all' ? codecsText : pickNames('codec', codecsText, CODEC_NAMES, false),
    payload: pickNames('payload', String(values.payload), PAYLOADS, false)[0],
    channels: parseChannels(channelsText),
    timeoutSeconds: checkTimeoutSeconds(parseNumberText('timeout', String(values.timeout))),
    out: values.out === undefined ? null : path.resolve(String(values.out)),
  };
}

/** `all`, `none`, or a list of the second table's channels. */
function parseChannels(text: string): BenchChannel[] {
  if (text === 'none') return [];
  if (text === 'all') return [...BENCH_CHANNELS];
  const names = splitList(text);
  const unknown = names.find((name) => !(BENCH_CHANNELS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new UsageError(`unknown channel "${unknown}": valid are ${BENCH_CHANNELS.join(', ')}, all, none`);
  return names as BenchChannel[];
}

async function main(argv: string[]): Promise<void> {
  const options = parseBenchArgs(argv);
  if (options.repeats < 3) process.stderr.write(`ipc-lab bench: ${options.repeats} repeats: medians of fewer than 3 samples are fragile\n`);
  const startedAt = new Date();
  const title =
    `ipc-lab bench ${startedAt.toISOString()} (local ${startedAt.toString()}), node ${process.version}, ` +
    `${options.payload} payload, sizes ${options.sizes.map(formatSize).join(', ')}, ${options.repeats} repeats, medians`;
  process.stderr.write(`${title}\n`);
  const floorRows = await runFloorTable({ ...options, onFloorRow: (row) => process.stderr.write(`${floorLine(row)}\n`) });
  const channelRows = await runChannelTable({ ...options, onChannelRow: (row) => process.stderr.write(`${channelLine(row)}\n`) });
  const minutes = (Date.now() - startedAt.getTime()) / 60_000;
  process.stdout.write(`\n${benchReport(`${title}; took ${minutes.toFixed(1)} min`, floorRows, channelRows)}`);
  if (options.out) {
    fs.writeFileSync(options.out, benchCsv(floorRows, channelRows));
    process.stdout.write(`written to ${options.out}\n`);
  }
}

// Exit through process.exit, so the runner's exit hook kills every peer and removes the temp dirs.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(error instanceof UsageError ? `ipc-lab bench: ${error.message}\n` : `ipc-lab bench: ${error.stack}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
