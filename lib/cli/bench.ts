import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as v8 from 'node:v8';
import { autoHeapLimitMb } from '../measure/runner/limits';
import { NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { checkRepeats, checkTimeoutSeconds, parseNumberText } from '../model/checks';
import { formatBytes, formatSeconds, formatSize } from '../model/format';
import { pickNames, splitList } from '../model/names';
import { shownPath } from '../model/paths';
import { makeDirs } from '../model/safe-dirs';
import { parseSizes } from '../model/sizes';
import { CODEC_NAMES, type PayloadKind, TRANSFER_PAYLOADS } from '../model/types';
import { UsageError } from '../model/usage-error';
import { BENCH_SCHEMA, writeBenchRun } from '../sweep/bench-results';
import { type BenchLoopOptions, runChannelTable, runFloorTable } from '../sweep/bench-run';
import { BENCH_CHANNELS, type BenchChannel } from '../sweep/channel-limits';
import type { FloorRow } from '../sweep/floors';
import { describeRun, newRunId } from '../sweep/run-description';
import { benchCsv, benchReport, channelLine, floorLine } from './bench-print';

/**
 * `npm run bench`: two tables, measured side by side in one run (this machine is shared and noisy,
 * so only ratios of interleaved runs mean much):
 * 1. per transport, codec and size, the transport's total ÷ its **floor**, the sum of the
 *    operations its mechanism cannot avoid, each measured alone and interleaved with the
 *    transport's own runs (which operations: lib/sweep/floors.ts) — what ipc-lab costs;
 * 2. per channel (pipe, unix, tcp, shm), Node's raw channel ÷ the C program (native/ipc_baseline.c)
 *    moving the same bytes into a fresh destination — what Node costs.
 * This file parses and prints; the loops are lib/sweep/bench-run.ts, the tables bench-print.ts.
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
                          as DIR/bench.json, which the notebooks load
  --progress-json         progress as JSON lines on stderr ({done, total, line}), for programs
The bench process holds the payload and its codec's copies itself: it restarts itself with a V8
heap sized for the largest list it builds (said on its first line).
`;

type BenchArgs = Omit<BenchLoopOptions, 'payload'> & {
  payloads: PayloadKind[];
  out: string | null;
  save: string | null;
  progressJson: boolean;
};

function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '1e7,1e8' },
      repeats: { type: 'string', default: '3' },
      transports: { type: 'string', default: 'all' },
      codecs: { type: 'string', default: 'default' },
      payload: { type: 'string' },
      payloads: { type: 'string' },
      channels: { type: 'string', default: 'all' },
      timeout: { type: 'string', default: '600' },
      out: { type: 'string' },
      save: { type: 'string' },
      'progress-json': { type: 'boolean' },
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
      NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer')).map((t) => t.id),
      true,
    ),
    codecs: codecsText === 'default' || codecsText === 'all' ? codecsText : pickNames('codec', codecsText, CODEC_NAMES, false),
    payloads: pickNames('payload', String(values.payloads ?? values.payload ?? 'int32'), TRANSFER_PAYLOADS, false),
    channels: parseChannels(channelsText),
    timeoutSeconds: checkTimeoutSeconds(parseNumberText('timeout', String(values.timeout))),
    out: values.out === undefined ? null : path.resolve(String(values.out)),
    save: values.save === undefined ? null : path.resolve(String(values.save)),
    progressJson: values['progress-json'] === true,
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

/**
 * The V8 heap the bench process needs: the payload, its encoded copy and the decoded one, as a
 * transfer's peer gets (autoHeapLimitMb), for the largest size and payload it builds.
 */
function neededHeapMb(options: BenchArgs): number {
  const size = Math.max(...options.sizes);
  return Math.max(
    ...options.payloads.map((payload) => autoHeapLimitMb({ runtime: 'node', transport: 'pipe', payload, sizeElements: size })),
  );
}

/** This process's V8 heap limit, in MiB. */
const heapLimitMb = (): number => Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);

/**
 * Start this same bench again in a child with the heap it needs, passing the terminal through;
 * resolves with the child's exit code. Ctrl-C reaches the child through the terminal's process
 * group; a SIGTERM sent to this process is passed on.
 */
function relaunchWithHeap(heapMb: number, argv: string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${heapMb}`, __filename, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, IPC_LAB_BENCH_RELAUNCHED: '1' },
  });
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143))));
}

async function main(argv: string[]): Promise<void> {
  const options = parseBenchArgs(argv);
  const heapMb = neededHeapMb(options);
  if (heapLimitMb() < heapMb && !process.env.IPC_LAB_BENCH_RELAUNCHED) {
    process.exit(await relaunchWithHeap(heapMb, argv));
  }
  if (options.repeats < 3) process.stderr.write(`ipc-lab bench: ${options.repeats} repeats: medians of fewer than 3 samples are fragile\n`);
  const startedAt = new Date();
  const title =
    `ipc-lab bench ${startedAt.toISOString()} (local ${startedAt.toString()}), node ${process.version}, ` +
    `${options.payloads.join(' and ')} payload, sizes ${options.sizes.map(formatSize).join(', ')}, ${options.repeats} interleaved repeats, medians`;
  process.stderr.write(`${title}\n`);
  process.stderr.write(
    `ipc-lab bench: this process's V8 heap limit is ${formatBytes(heapLimitMb() * 2 ** 20)} (it holds the payload and its codec's copies)\n`,
  );
  // Progress in steps: each round of the first table, each row of the second. With
  // --progress-json (the notebooks' obtainBench) every step is one JSON line on stderr.
  const totalSteps = options.payloads.length * options.sizes.length * options.repeats + options.sizes.length * options.channels.length;
  let doneSteps = 0;
  const say = (line: string, step: boolean): void => {
    if (step) doneSteps++;
    if (options.progressJson) {
      if (step) process.stderr.write(`${JSON.stringify({ done: doneSteps, total: totalSteps, line: line.trim() })}\n`);
    } else {
      process.stderr.write(`${line}\n`);
    }
  };
  const floorRows: FloorRow[] = [];
  for (const payload of options.payloads) {
    const rows = await runFloorTable({
      ...options,
      payload,
      onFloorRow: (row) => say(floorLine(row), false),
      onRound: (size, repeat) => say(`  ${payload} ${formatSize(size)}: round ${repeat + 1} of ${options.repeats} done`, true),
    });
    floorRows.push(...rows);
  }
  const channelRows = await runChannelTable({
    ...options,
    payload: 'int32',
    onChannelRow: (row) => say(channelLine(row), true),
  });
  const minutes = (Date.now() - startedAt.getTime()) / 60_000;
  process.stdout.write(`\n${benchReport(`${title}; took ${formatSeconds(minutes * 60)}`, floorRows, channelRows)}`);
  if (options.out) {
    fs.writeFileSync(options.out, benchCsv(floorRows, channelRows));
    process.stdout.write(`written to ${options.out}\n`);
  }
  if (options.save) {
    const { out, save, progressJson, ...config } = options;
    makeDirs(save, `bench results directory ${JSON.stringify(save)}`);
    const file = writeBenchRun(save, {
      schema: BENCH_SCHEMA,
      description: describeRun({
        runId: newRunId(startedAt),
        commandLine: `npm run bench -- ${argv.join(' ')}`,
        label: 'bench',
        python: null,
      }),
      config: {
        ...config,
        sizes: [...config.sizes],
        transports: [...config.transports],
        channels: [...config.channels],
        codecs: typeof config.codecs === 'string' ? config.codecs : [...config.codecs],
      },
      heapLimitMb: heapLimitMb(),
      floorRows,
      channelRows,
      minutes,
    });
    process.stdout.write(`saved to ${shownPath(file)}\n`);
  }
}

// Exit through process.exit, so the runner's exit hook kills every peer and removes the temp dirs.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(error instanceof UsageError ? `ipc-lab bench: ${error.message}\n` : `ipc-lab bench: ${error.stack}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
