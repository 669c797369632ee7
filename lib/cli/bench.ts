import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { checkRepeats, checkTimeoutSeconds, parseNumberText } from '../model/checks';
import { formatBytes, formatSeconds, formatSize } from '../model/format';
import { pickNames, splitList } from '../model/names';
import { shownPath } from '../model/paths';
import { parseSizes } from '../model/sizes';
import { CODEC_NAMES, TRANSFER_PAYLOADS } from '../model/types';
import { UsageError } from '../model/usage-error';
import { BENCH_DEFAULT_SIZES, benchSteps } from '../sweep/bench-plan';
import type { BenchRunConfig } from '../sweep/bench-results';
import { runBench } from '../sweep/bench-run';
import { BENCH_CHANNELS, type BenchChannel } from '../sweep/channel-limits';
import { floorHeapMb } from '../sweep/floor-worker';
import { usageErrorFrom } from './args';
import { benchCsv, benchReport } from './bench-print';
import { runCommand } from './run-command';
import { exitOnSecondSignal } from './signals';

/**
 * `npm run bench`: two tables, measured side by side in one run (this machine is shared and noisy,
 * so only ratios of interleaved runs mean much):
 * 1. per transport, codec and size, the transport's total ÷ its **floor**, the sum of the
 *    operations its mechanism cannot avoid, each measured alone and interleaved with the
 *    transport's own runs (which operations: lib/sweep/floors.ts) — what ipc-lab costs;
 * 2. per channel (pipe, unix, tcp, shm), Node's raw channel ÷ the C program (native/ipc_baseline.c)
 *    moving the same bytes into a fresh destination — what Node costs.
 * This file parses and prints; the plan is lib/sweep/bench-plan.ts, run by the one loop
 * (lib/sweep/run-plan.ts) through lib/sweep/bench-run.ts; the tables are printed by bench-print.ts.
 */
const USAGE = `Usage: npm run bench -- [options]
  --sizes 1e7,1e8         element counts (default 1e7,1e8)
  --repeats 3             interleaved repeats per row; medians (default 3)
  --transports all        or a list: pipe,tcp,…
  --codecs default        default: v8,raw for pipe, tcp, unix, file, manager and the only codec of the others;
                          all: every codec each transport takes; or a list (v8,json,raw,msgpackr,packed,clone,none)
  --payloads int32        int32, list, or both: list,int32 (default int32; --payload is the same flag)
  --channels all          the second table's channels: all, none, or a list of pipe,unix,tcp,shm
  --timeout 600           seconds a transfer may take
  --out FILE.csv          both tables as one CSV
  --save DIR              keep the run (both tables with every sample, and the machine's description)
                          as DIR/bench.json, which the notebooks load, with every step's result beside
The floor operations hold the payload and its codec's copies in a worker thread whose V8 heap is
sized for the largest list the bench builds (said on its first lines).
`;

interface BenchArgs {
  config: BenchRunConfig;
  timeoutSeconds: number;
  out: string | null;
  save: string | null;
}

const OPTIONS = {
  sizes: { type: 'string', default: BENCH_DEFAULT_SIZES.map(formatSize).join(',') },
  repeats: { type: 'string', default: '3' },
  transports: { type: 'string', default: 'all' },
  codecs: { type: 'string', default: 'default' },
  payload: { type: 'string' },
  payloads: { type: 'string' },
  channels: { type: 'string', default: 'all' },
  timeout: { type: 'string', default: '600' },
  out: { type: 'string' },
  save: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseBenchArgs(argv: string[]): BenchArgs {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error) {
    throw usageErrorFrom(error, OPTIONS);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const codecsText = String(values.codecs);
  return {
    config: {
      sizes: [...new Set(parseSizes(String(values.sizes)))],
      repeats: checkRepeats(parseNumberText('repeats', String(values.repeats))),
      transports: pickNames(
        'transport',
        String(values.transports),
        NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer')).map((t) => t.id),
        true,
      ),
      codecs: codecsText === 'default' || codecsText === 'all' ? codecsText : pickNames('codec', codecsText, CODEC_NAMES, false),
      payloads: pickNames('payload', String(values.payloads ?? values.payload ?? 'int32'), TRANSFER_PAYLOADS, false),
      channels: parseChannels(String(values.channels)),
    },
    timeoutSeconds: checkTimeoutSeconds(parseNumberText('timeout', String(values.timeout))),
    out: values.out === undefined ? null : path.resolve(String(values.out)),
    save: values.save === undefined ? null : path.resolve(String(values.save)),
  };
}

/** `all`, `none`, or a list of the second table's channels (each once). */
function parseChannels(text: string): BenchChannel[] {
  if (text === 'none') return [];
  if (text === 'all') return [...BENCH_CHANNELS];
  const names = splitList(text);
  const unknown = names.find((name) => !(BENCH_CHANNELS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new UsageError(`unknown channel "${unknown}": valid are ${BENCH_CHANNELS.join(', ')}, all, none`);
  return [...new Set(names)] as BenchChannel[];
}

async function main(argv: string[]): Promise<number> {
  const { config, timeoutSeconds, out, save } = parseBenchArgs(argv);
  if (config.repeats < 3) process.stderr.write(`ipc-lab bench: ${config.repeats} repeats: medians of fewer than 3 samples are fragile\n`);
  const startedAt = new Date();
  const title =
    `ipc-lab bench ${startedAt.toISOString()} (local ${startedAt.toString()}), node ${process.version}, ` +
    `${config.payloads.join(' and ')} payload, sizes ${config.sizes.map(formatSize).join(', ')}, ${config.repeats} interleaved repeats, medians`;
  process.stderr.write(`${title}\n`);
  const heapMb = floorHeapMb(benchSteps(config));
  if (heapMb > 0) {
    process.stderr.write(
      `ipc-lab bench: the floor operations' thread has a V8 heap limit of ${formatBytes(heapMb * 2 ** 20)} (it holds the payload and its codec's copies)\n`,
    );
  }
  const { run, plan, file } = await runBench({
    config,
    outDir: save,
    options: { timeoutSeconds },
    label: 'bench',
    commandLine: `npm run bench -- ${argv.join(' ')}`.trim(),
  });
  if (plan.interruptedBy) return plan.interruptedBy === 'SIGTERM' ? 143 : 130;
  process.stdout.write(`\n${benchReport(`${title}; took ${formatSeconds((run.minutes ?? 0) * 60)}`, run.floorRows, run.channelRows)}`);
  if (out) {
    fs.writeFileSync(out, benchCsv(run.floorRows, run.channelRows));
    process.stdout.write(`written to ${out}\n`);
  }
  if (file) process.stdout.write(`saved to ${shownPath(file)}\n`);
  return 0;
}

exitOnSecondSignal();
runCommand(main, 'ipc-lab bench');
