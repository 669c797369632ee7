/**
 * The command line of `npm run sweep -- …`, parsed into a SweepConfig and RunOptions. Parsing
 * only: every value is checked by lib/model's checks (checks.ts, sizes.ts, names.ts, out-dir.ts,
 * pairs.ts) and the sweep is expanded once to catch a config that cannot run, but nothing is run
 * or written here.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { allTransportIds, CPYTHON_TRANSPORTS, NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { checkHeapLimitMb, checkRepeats, checkTimeoutSeconds, checkWarmups, parseNumberText } from '../model/checks';
import { nearestName, pickNames, splitList } from '../model/names';
import { checkOutDir } from '../model/out-dir';
import { checkRuntimeChoices } from '../model/pairs';
import { resultsRoot } from '../model/paths';
import { parseMessageSizes, parseSizes } from '../model/sizes';
import {
  CODEC_IDS,
  DEFAULT_MESSAGES,
  DEFAULT_TIMEOUT_SECONDS,
  MESSAGE_PAYLOADS,
  PATTERNS,
  PAYLOADS,
  type PayloadKind,
  RUNTIMES,
  type RunOptions,
  TRANSFER_PAYLOADS,
} from '../model/types';
import { UsageError } from '../model/usage-error';
import { CODEC_CHOICES, type CodecChoice, expandSweep, SWEEP_ORDERS, type SweepConfig, type SweepOrder } from '../sweep/plan';
import { newRunId } from '../sweep/run-description';
import { findPreset, SWEEP_PRESETS } from './presets';

/** The sweep flags' defaults, as the user would type them. */
const DEFAULTS = {
  runtime: 'node',
  transports: 'all',
  payloads: 'list,int32',
  codecs: 'analog',
  sizes: '10,1e5',
  repeats: '3',
  warmups: '1',
  order: 'grouped',
  pattern: 'transfer',
  messages: 'auto',
  'message-sizes': '8,64,1KiB,16KiB,64KiB,1MiB',
} as const;

/** The payloads when --payloads is not given: the article's for a transfer, bytes for the message patterns. */
const DEFAULT_PAYLOADS = { transfer: 'list,int32', messages: 'bytes' } as const;

const OPTIONS = {
  runtime: { type: 'string' },
  transports: { type: 'string' },
  payloads: { type: 'string' },
  codecs: { type: 'string' },
  sizes: { type: 'string' },
  repeats: { type: 'string' },
  warmups: { type: 'string' },
  order: { type: 'string' },
  pattern: { type: 'string' },
  messages: { type: 'string' },
  'message-sizes': { type: 'string' },
  preset: { type: 'string' },
  experiment: { type: 'string' },
  out: { type: 'string' },
  timeout: { type: 'string' },
  'heap-mb': { type: 'string' },
  python: { type: 'string' },
  label: { type: 'string' },
  overwrite: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What parseSweepArgs found: help to print, or a sweep to run. */
export type SweepArgs =
  | { kind: 'help'; text: string }
  | { kind: 'run'; config: SweepConfig; outDir: string; options: RunOptions; label: string; notes: string[] };

const ids = (list: readonly { id: string }[]): string => list.map((t) => t.id).join(', ');

/** "node queue, pipe, …; cpython queue, pipe, manager": where the message patterns run. */
const MESSAGE_TRANSPORT_LIST = [
  `node ${ids(NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('roundtrip')))}`,
  `cpython ${ids(CPYTHON_TRANSPORTS.filter((t) => patternsOf(t).includes('roundtrip')))}`,
].join('; ');

/** The text of `npm run sweep -- --help`. */
export const SWEEP_HELP = `Usage: npm run sweep -- [flags]

Runs every combination runtime × transport × payload × size, warm-ups then measured repeats,
and writes <out>/records.json and <out>/records.csv after each configuration. With --pattern
roundtrip or rate, each run sends many messages of each --message-sizes instead of one payload.

Flags:
  --runtime LIST       runtimes, comma-separated (default ${DEFAULTS.runtime}): ${RUNTIMES.join(', ')}, all
                         node     this Node; bun, deno  the pinned npm packages' binaries (node_modules/.bin;
                                  IPC_LAB_BUN, IPC_LAB_DENO name others), running the same peers and transports
                         cpython  the article's own methods in CPython (see --python)
                       or pairs sender:receiver across runtimes, e.g. node:cpython,cpython:node: the
                         hand-overs and byte channels (handoff, handoff-name, unix, tcp, pipe) with one
                         peer in each runtime; with CPython, int32 in raw or arrow (pyarrow, see setup)
  --transports LIST    transport ids, or all (default ${DEFAULTS.transports})
  --pattern LIST       what each run does (default ${DEFAULTS.pattern}):
                         transfer   one payload of --sizes integers, sent once (the article's question)
                         roundtrip  ping-pong: --messages round trips of one message each way, after a
                                    warm-up; records p50, p90, p99, p99.9, max and mean (HDR histogram)
                         rate       a one-way stream of --messages messages with the channel's backpressure;
                                    records messages/s and bytes/s
                       message patterns run on ${MESSAGE_TRANSPORT_LIST};
                       other transports give a limits record
  --messages N         measured messages per run of roundtrip/rate, 1 to 1e8; auto (the default): ${DEFAULT_MESSAGES},
                       or fewer for large messages so that a run moves at most 256 MiB (100 of 1 MiB… at least 100)
  --message-sizes LIST bytes per message, e.g. 8,64,1KiB,64KiB,1MiB (default ${DEFAULTS['message-sizes']})
  --payloads LIST      payload kinds: ${TRANSFER_PAYLOADS.join(', ')} for a transfer (default ${DEFAULT_PAYLOADS.transfer}),
                       ${MESSAGE_PAYLOADS.join(', ')} for roundtrip and rate (default ${DEFAULT_PAYLOADS.messages}); all
  --codecs LIST        serializers (default ${DEFAULTS.codecs}): analog (each transport's analog of the article's:
                       v8 where it pickles), all, or a list of analog, ${CODEC_IDS.join(', ')} (e.g. analog,raw);
                       a transport runs those it takes (streams, file, manager: all; ipc: v8; ipc-json: json;
                       ports: clone; shared memory: none)
  --sizes LIST         elements per transfer, 1 to 2147483647, e.g. 10,1e5,10^8 (default ${DEFAULTS.sizes})
  --repeats N          measured runs per configuration, ≥ 1 (default ${DEFAULTS.repeats})
  --warmups N          warm-up runs before them, ≥ 0, not in the statistics (default ${DEFAULTS.warmups})
  --order ORDER        grouped (each configuration's runs together) or interleaved (all warm-ups, then
                       round 1 of every configuration, round 2, …: fairer when comparing them)
                       (default ${DEFAULTS.order})
  --preset NAME        start from a preset below; flags given with it override its values
                       (--experiment NAME is the same flag, its older name)
  --out DIR            results directory (default data/results/<preset or sweep>-<YYYYMMDD-HHMMSS>-<random>);
                       one that already holds records.json is refused unless --overwrite is given
  --overwrite          replace the records.json and records.csv already in --out
  --timeout SECONDS    limit for each transfer, spawn to report (default ${DEFAULT_TIMEOUT_SECONDS})
  --heap-mb MIB        V8 heap limit of each Node and Deno peer (Bun's JavaScriptCore has none);
                       0 picks one from the size (default 0)
  --python PATH        CPython interpreter for --runtime cpython (default: found automatically)
  --label TEXT         free text saved with the results
  --verbose            one line per phase of each transfer, on stderr
  --help, -h           this text

Transports:
  node:    ${ids(NODE_TRANSPORTS)}
  cpython: ${ids(CPYTHON_TRANSPORTS)} (list payload only)

Presets:
${SWEEP_PRESETS.map((e) => `  ${e.name.padEnd(18)} ${e.description}`).join('\n')}

Examples:
  npm run sweep -- --preset article-pipe
  npm run sweep -- --pattern roundtrip --transports all --message-sizes 64,1KiB,64KiB
  npm run sweep -- --pattern rate --transports pipe,queue --payloads bytes,object --messages 100000
  npm run sweep -- --preset article-methods --runtime node,cpython
  npm run sweep -- --transports pipe,tcp,unix --payloads int32 --sizes 1e5,1e6 --repeats 5
  npm run sweep -- --preset article-pipe --sizes 10,1e5 --out data/results/quick
`;

/** node's parseArgs errors, rewritten as one-line UsageErrors naming the flag (`options`: the command's flags). */
export function usageErrorFrom(error: unknown, options: object = OPTIONS): UsageError {
  const e = error as NodeJS.ErrnoException;
  const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1] ?? '';
  const flag = quoted.split(' ')[0];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.keys(options).map((name) => `--${name}`);
    const guess = nearestName(flag, known);
    const hint = guess ? ` did you mean ${guess}?` : '';
    return new UsageError(`unknown flag ${flag}:${hint} see --help for the flags`);
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new UsageError(`unexpected argument "${quoted}": every value follows a flag (e.g. --sizes 1e5); see --help`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(e.message)) return new UsageError(`flag ${flag} takes no value; see --help`);
    return new UsageError(`flag ${flag} needs a value (write ${flag}=VALUE if it starts with "-"); see --help`);
  }
  return new UsageError(`${String(e.message).split('\n')[0]}; see --help`);
}

/** `--codecs`: analog, all, or a list of codec names. */
function parseCodecs(text: string): CodecChoice[] | 'analog' | 'all' {
  const names = splitList(text).map((n) => n.toLowerCase());
  if (names.length === 1 && (names[0] === 'analog' || names[0] === 'all')) return names[0] as 'analog' | 'all';
  return pickNames('codec', text, CODEC_CHOICES, false);
}

/** `--messages`: a whole number of measured messages. */
function parseWholeMessages(text: string): number | undefined {
  if (text.trim().toLowerCase() === 'auto') return undefined;
  const n = parseNumberText('messages', text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1e8) {
    throw new UsageError(
      `messages ${JSON.stringify(text)} is not valid: measured messages per run are a whole number from 1 to 1e8 (e.g. 10000)`,
    );
  }
  return n;
}

/**
 * `--payloads`: as given, else the preset's, else what the patterns send — the article's list and
 * int32 for a transfer, bytes for the message patterns (both when both kinds of pattern run).
 */
function payloadsOf(
  given: string | undefined,
  patterns: readonly string[],
  fromPreset: PayloadKind[] | undefined,
  presetName: string | undefined,
  notes: string[],
): PayloadKind[] {
  if (given !== undefined) {
    if (fromPreset !== undefined) notes.push(`--payloads ${given} overrides preset ${presetName}`);
    return pickNames('payload', given, PAYLOADS, true);
  }
  if (fromPreset !== undefined) return fromPreset;
  const defaults = [
    ...(patterns.includes('transfer') ? [DEFAULT_PAYLOADS.transfer] : []),
    ...(patterns.some((p) => p !== 'transfer') ? [DEFAULT_PAYLOADS.messages] : []),
  ];
  return pickNames('payload', defaults.join(','), PAYLOADS, false);
}

/** `--order`: one of grouped, interleaved. */
function parseOrder(text: string): SweepOrder {
  const names = pickNames('order', text, SWEEP_ORDERS, false);
  if (names.length > 1) throw new UsageError(`--order takes one of ${SWEEP_ORDERS.join(', ')}, not ${JSON.stringify(text)}`);
  return names[0];
}

/**
 * Parse the sweep's flags. Throws UsageError on any bad flag or value. `now` names the default
 * output directory (a parameter so tests can fix it); `env` gives IPC_LAB_RESULTS_DIR, the default --out root.
 */
export function parseSweepArgs(argv: readonly string[], now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): SweepArgs {
  let values: Partial<Record<keyof typeof OPTIONS, string | boolean>>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw usageErrorFrom(error);
  }
  if (values.help) return { kind: 'help', text: SWEEP_HELP };
  const text = (name: keyof typeof OPTIONS): string | undefined =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined;

  const notes: string[] = [];
  const presetName = text('preset') ?? text('experiment');
  const preset = presetName === undefined ? undefined : findPreset(presetName).config;
  /** The flag's value if given (noting that it overrides the preset), else the preset's, else the default. */
  const pick = <T>(flag: keyof typeof DEFAULTS, parse: (s: string) => T, fromPreset: T | undefined): T => {
    const given = text(flag);
    if (given !== undefined) {
      if (fromPreset !== undefined) notes.push(`--${flag} ${given} overrides preset ${presetName}`);
      return parse(given);
    }
    return fromPreset !== undefined ? fromPreset : parse(DEFAULTS[flag]);
  };

  const config: SweepConfig = {
    runtimes: pick('runtime', (s) => checkRuntimeChoices(splitList(s)), preset?.runtimes),
    transports: pick(
      'transports',
      (s) => (splitList(s).some((n) => n.toLowerCase() === 'all') ? 'all' : pickNames('transport', s, allTransportIds(), true)),
      preset?.transports,
    ),
    patterns: pick('pattern', (s) => pickNames('pattern', s, PATTERNS, true), preset?.patterns),
    payloads: [],
    codecs: pick('codecs', parseCodecs, preset?.codecs),
    sizes: pick('sizes', parseSizes, preset?.sizes),
    repeats: pick('repeats', (s) => checkRepeats(parseNumberText('repeats', s)), preset?.repeats),
    warmups: pick('warmups', (s) => checkWarmups(parseNumberText('warmups', s)), preset?.warmups),
    order: pick('order', parseOrder, preset?.order),
    messages: pick('messages', parseWholeMessages, preset?.messages),
    messageSizes: pick('message-sizes', parseMessageSizes, preset?.messageSizes),
  };
  config.payloads = payloadsOf(text('payloads'), config.patterns ?? ['transfer'], preset?.payloads, presetName, notes);
  expandSweep(config); // a config that cannot run fails here, before any directory is made

  const timeout = text('timeout');
  const heap = text('heap-mb');
  const options: RunOptions = {
    timeoutSeconds: timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : checkTimeoutSeconds(parseNumberText('timeout', timeout)),
    heapLimitMb: heap === undefined ? 0 : checkHeapLimitMb(parseNumberText('heap limit in MiB', heap)),
    fault: 'none',
    python: (text('python') ?? '').trim(),
    verbose: values.verbose === true,
  };
  const out = text('out');
  // Random bits after the second, so two sweeps started in the same second get two directories.
  const defaultOut = path.join(resultsRoot(env), `${presetName ?? 'sweep'}-${newRunId(now)}`);
  const outDir = checkOutDir(out ?? defaultOut, { refuseExistingResults: values.overwrite !== true });
  return { kind: 'run', config, outDir, options, label: text('label') ?? '', notes };
}
