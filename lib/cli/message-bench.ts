import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMIT_FOR, P50_TARGET, RATE_TARGET, type TargetRow, type TargetVerdicts, targetRows, targetVerdicts } from '../findings/messages';
import { MAX_LIMIT_MESSAGE_BYTES } from '../measure/message-limits/row';
import { MIN_MESSAGE_BYTES } from '../measure/messages/message';
import { NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { checkTimeoutSeconds, parseNumberText } from '../model/checks';
import { formatBytes, formatRatio, MISSING, roundSignificant } from '../model/format';
import { pickNames } from '../model/names';
import { shownPath } from '../model/paths';
import { transportLabel } from '../model/record';
import { parseMessageSizes } from '../model/sizes';
import { UsageError } from '../model/usage-error';
import { type MessageBenchConfig, type MessageLimitSeries, runMessageBench } from '../sweep/message-bench';
import { nodeMessageSeries } from '../sweep/message-experiments';
import { usageErrorFrom } from './args';
import { runCommand } from './run-command';
import { exitOnSecondSignal } from './signals';

/**
 * `npm run bench:messages`: the message patterns of some transports and, in the same rounds, the
 * limits each is held to — bare Node over the same channel sending the same way, and the C floor —
 * then each transport ÷ bare Node and ÷ C at every size: the targets of the messages notebook from
 * the command line. Interleaved rounds, medians: on this shared machine only such ratios mean much.
 */
const MESSAGE_TRANSPORTS = NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('roundtrip')).map((t) => t.id);

const USAGE = `Usage: npm run bench:messages -- [options]
  --transports all        or a list of ${MESSAGE_TRANSPORTS.join(', ')}
                          (the byte streams and rings run in their analog codec and raw)
  --pattern roundtrip,rate  one or both
  --message-sizes 64,1KiB,64KiB  bytes per message
  --rounds 3              interleaved rounds; medians
  --messages 10000        most messages a run (fewer of a large size: at most 64 MiB a run)
  --timeout 300           seconds a run may take
  --save DIR              keep the run (records.json, steps.json) in DIR; else nothing is kept
Prints, per transport and size, its p50 round trip and stream rate ÷ bare Node's over the same
channel (targets: ≤ 1.5 and ≥ 0.67) and ÷ the C program's.
`;

const OPTIONS = {
  transports: { type: 'string', default: 'all' },
  pattern: { type: 'string', default: 'roundtrip,rate' },
  'message-sizes': { type: 'string', default: '64,1KiB,64KiB' },
  rounds: { type: 'string', default: '3' },
  messages: { type: 'string', default: '10000' },
  timeout: { type: 'string', default: '300' },
  save: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface MessageBenchArgs {
  config: MessageBenchConfig;
  timeoutSeconds: number;
  save: string | null;
}

/** A whole number from `min` to `max`, or a one-line UsageError naming the flag. */
function wholeFlag(flag: string, text: string, min: number, max: number): number {
  const value = parseNumberText(flag, text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/** The bench's configuration from its flags; null for --help. Throws a one-line UsageError. */
export function parseMessageBenchArgs(argv: string[]): MessageBenchArgs | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true }).values;
  } catch (error) {
    throw usageErrorFrom(error, OPTIONS);
  }
  if (values.help) return null;
  const transports = pickNames('transport', String(values.transports), MESSAGE_TRANSPORTS, true);
  const patterns = pickNames('pattern', String(values.pattern), ['roundtrip', 'rate'], false) as ('roundtrip' | 'rate')[];
  const series = nodeMessageSeries(transports);
  if (series.length === 0)
    throw new UsageError(`--transports ${JSON.stringify(values.transports)} names no transport that carries messages`);
  // Each series' limits: bare Node over its channel, sending the same way, and C's channel.
  const limits = new Map<string, MessageLimitSeries>();
  for (const s of series) {
    const mapping = LIMIT_FOR[transportLabel(s)];
    if (mapping?.nodeMinimal) limits.set(`node-minimal ${mapping.nodeMinimal}`, { source: 'node-minimal', channel: mapping.nodeMinimal });
    if (mapping?.c) limits.set(`c ${mapping.c}`, { source: 'c', channel: mapping.c });
  }
  const messageSizes = parseMessageSizes(String(values['message-sizes']));
  const outside = messageSizes.find((bytes) => bytes < MIN_MESSAGE_BYTES.bytes || bytes > MAX_LIMIT_MESSAGE_BYTES);
  if (outside !== undefined) {
    throw new UsageError(
      `--message-sizes: ${outside} bytes is outside ${MIN_MESSAGE_BYTES.bytes} B to ${formatBytes(MAX_LIMIT_MESSAGE_BYTES)}, the messages the limits' programs send`,
    );
  }
  return {
    config: {
      patterns,
      messageSizes,
      maxMessages: wholeFlag('messages', String(values.messages), 100, 10_000_000),
      maxBytesPerRun: 64 * 2 ** 20,
      rounds: wholeFlag('rounds', String(values.rounds), 1, 100),
      series,
      limits: [...limits.values()],
    },
    timeoutSeconds: checkTimeoutSeconds(parseNumberText('timeout', String(values.timeout))),
    save: values.save === undefined ? null : path.resolve(String(values.save)),
  };
}

const cell = (x: number | null) => String(roundSignificant(x) ?? MISSING);
const us = (seconds: number | null) => (seconds === null ? null : seconds * 1e6);
const verdict = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'MISSED');

/** The targets as aligned text, one line per transport and size. */
export function targetText(rows: readonly TargetRow[]): string {
  const header = [
    'transport',
    'size',
    'p50 µs',
    'bare p50',
    '÷ bare',
    `≤ ${P50_TARGET}`,
    '÷ C',
    'msg/s',
    'bare msg/s',
    '÷ bare',
    `≥ ${RATE_TARGET}`,
    'note',
  ];
  const lines = rows.map((r) => [
    r.transport,
    formatBytes(r.messageBytes),
    cell(us(r.p50Seconds)),
    cell(us(r.minimalP50Seconds)),
    cell(r.p50Ratio),
    verdict(r.p50Met),
    cell(r.p50OverC),
    cell(r.messagesPerSecond),
    cell(r.minimalMessagesPerSecond),
    cell(r.rateRatio),
    verdict(r.rateMet),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const align = (c: string, i: number) => (i < 2 || i === header.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]));
  return `${[header, ...lines].map((l) => l.map(align).join('  ').trimEnd()).join('\n')}\n`;
}

/** How many transport × size cells met each target, and which missed it, by how much. */
function verdictsText(rows: readonly TargetRow[]): string {
  const { p50, rate } = targetVerdicts(rows);
  const met = (v: TargetVerdicts, ratio: (r: TargetRow) => number | null) =>
    `met in ${v.met} of ${v.judged}` +
    (v.missed.length === 0
      ? ''
      : ` — missed by ${v.missed.map((r) => `${r.transport} at ${formatBytes(r.messageBytes)} (${formatRatio(ratio(r))})`).join(', ')}`);
  return `Targets against bare Node over the same channel, in this run: p50 round trip ≤ ${P50_TARGET}× ${met(p50, (r) => r.p50Ratio)}; rate ≥ ${RATE_TARGET}× ${met(rate, (r) => r.rateRatio)}.`;
}

async function main(argv: string[]): Promise<number> {
  const args = parseMessageBenchArgs(argv);
  if (args === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  const result = await runMessageBench({
    config: args.config,
    outDir: args.save,
    options: { timeoutSeconds: args.timeoutSeconds },
    commandLine: `npm run bench:messages -- ${argv.join(' ')}`.trim(),
  });
  const rows = targetRows(result).filter((r) => args.config.series.some((s) => r.transport === transportLabel(s)));
  process.stdout.write(`\n${targetText(rows)}\n${verdictsText(rows)}\n`);
  if (args.save) process.stderr.write(`ipc-lab: the run is in ${shownPath(args.save)}\n`);
  return result.interrupted ? 130 : 0;
}

if (require.main === module) {
  exitOnSecondSignal();
  runCommand(main);
}
