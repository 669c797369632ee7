import { C_MESSAGE_CHANNELS, NODE_MINIMAL_CHANNELS } from '../measure/message-limits/row';
import { shownPath } from '../model/paths';
import type { RunOptions } from '../model/types';
import { type ExperimentResult, experimentPlace, type Scale } from './experiments';
import {
  loadMessageBench,
  type MessageBenchConfig,
  type MessageLimitRecord,
  type MessageLimitSeries,
  type MessageSeries,
  messageBenchSteps,
  runMessageBench,
} from './message-bench';
import { sliceFor } from './one-run';
import type { ProgressSink } from './progress';

/** Every Node transport that carries messages, each with a Buffer in its analog codec (object for ipc-json, which has no bytes). */
const NODE_SERIES: MessageSeries[] = [
  ...['queue', 'transfer', 'ipc', 'pipe', 'unix', 'tcp', 'manager', 'ring', 'ring-thread'].map(
    (transport): MessageSeries => ({ runtime: 'node', transport, payload: 'bytes' }),
  ),
  { runtime: 'node', transport: 'ipc-json', payload: 'object' },
  // The same Buffer without a serializer, as the minimal loops and the C program send it: what v8 costs a byte stream.
  ...['pipe', 'unix', 'tcp', 'ring', 'ring-thread'].map(
    (transport): MessageSeries => ({ runtime: 'node', transport, payload: 'bytes', codec: 'raw' }),
  ),
];

/** The experiment's Node series of these transports (each with its analog codec, and `raw` where it runs one). */
export function nodeMessageSeries(transports: readonly string[]): MessageSeries[] {
  return NODE_SERIES.filter((s) => transports.includes(s.transport));
}

/** CPython's multiprocessing, pickling the same bytes. */
const CPYTHON_SERIES: MessageSeries[] = ['pipe', 'queue', 'manager'].map((transport) => ({
  runtime: 'cpython',
  transport,
  payload: 'bytes',
}));

/** Small objects through each codec and each channel's own serialization: where JSON beats v8, and where not. */
function codecSeries(sizes: number[]): MessageSeries[] {
  return [
    { runtime: 'node', transport: 'pipe', payload: 'object', messageSizes: sizes },
    { runtime: 'node', transport: 'pipe', payload: 'object', codec: 'json', messageSizes: sizes },
    { runtime: 'node', transport: 'pipe', payload: 'object', codec: 'msgpackr', messageSizes: sizes },
    { runtime: 'node', transport: 'ipc', payload: 'object', messageSizes: sizes },
    { runtime: 'node', transport: 'queue', payload: 'object', messageSizes: sizes },
  ];
}

/** The machine's floor (C) and bare Node, per channel. */
const LIMITS: MessageLimitSeries[] = [
  ...C_MESSAGE_CHANNELS.map((channel): MessageLimitSeries => ({ source: 'c', channel })),
  ...NODE_MINIMAL_CHANNELS.map((channel): MessageLimitSeries => ({ source: 'node-minimal', channel })),
];

export interface MessageExperimentDef {
  name: string;
  title: string;
  configs: Record<Scale, MessageBenchConfig>;
}

export const MESSAGE_EXPERIMENTS: readonly MessageExperimentDef[] = [
  {
    name: 'messages',
    title: 'Many small messages: round-trip latency and message rate of every transport, with their limits',
    configs: {
      article: {
        patterns: ['roundtrip', 'rate'],
        messageSizes: [8, 64, 1024, 16 * 1024, 64 * 1024, 1024 * 1024],
        maxMessages: 10_000,
        maxBytesPerRun: 64 * 2 ** 20,
        rounds: 3,
        series: [...NODE_SERIES, ...codecSeries([64, 1024, 16 * 1024, 64 * 1024]), ...CPYTHON_SERIES],
        limits: LIMITS,
      },
      quick: {
        patterns: ['roundtrip', 'rate'],
        messageSizes: [64, 1024, 64 * 1024],
        maxMessages: 2000,
        maxBytesPerRun: 16 * 2 ** 20,
        rounds: 1,
        series: [...NODE_SERIES, ...codecSeries([64, 1024]), ...CPYTHON_SERIES],
        limits: LIMITS,
      },
      // Seconds, for tests: one transport of each family, a codec pair, CPython's pipe and the pipe's limits.
      smoke: {
        patterns: ['roundtrip', 'rate'],
        messageSizes: [1024],
        maxMessages: 100,
        maxBytesPerRun: 2 ** 20,
        rounds: 1,
        series: [
          ...NODE_SERIES.filter((s) => ['queue', 'pipe', 'ipc-json', 'ring'].includes(s.transport)),
          ...codecSeries([1024]).slice(0, 2),
          ...CPYTHON_SERIES.slice(0, 1),
        ],
        limits: LIMITS.filter((l) => l.channel === 'pipe' || l.channel === 'pipe-v8'),
      },
    },
  },
];

/** A sweep experiment's result, and the limits' rows measured in the same rounds. */
export interface MessageExperimentResult extends ExperimentResult {
  limits: MessageLimitRecord[];
}

export interface ObtainMessagesOptions {
  scale?: Scale;
  /** `run` (default) measures now; `saved` loads an earlier run's results when there are any. */
  prefer?: 'run' | 'saved';
  options?: Partial<RunOptions>;
  progress?: ProgressSink;
}

/** Run the message experiment now and save it under data/results/<name>-<scale>/, or load what was saved there. */
export async function obtainMessages(name = 'messages', opts: ObtainMessagesOptions = {}): Promise<MessageExperimentResult> {
  const def = MESSAGE_EXPERIMENTS.find((e) => e.name === name);
  if (!def) throw new Error(`no message experiment "${name}": valid are ${MESSAGE_EXPERIMENTS.map((e) => e.name).join(', ')}`);
  const { scale, dir, loadSaved } = experimentPlace(name, opts, 'records.json');
  const base = { name, title: def.title, scale, path: dir };
  const what = `message experiment "${name}" at scale ${scale}`;
  const slice = sliceFor(messageBenchSteps(def.configs[scale]), what, { scale, prefer: opts.prefer, loadSaved });
  if (slice) {
    const limits = slice.results.flatMap((r) => (r.kind === 'message-limit' ? [r.row] : []));
    return { ...base, source: 'one-run', path: slice.dir, description: slice.description, records: slice.records, limits };
  }
  if (loadSaved) {
    return { ...base, source: 'saved', ...loadMessageBench(dir) };
  }
  const result = await runMessageBench({
    config: def.configs[scale],
    outDir: dir,
    options: opts.options,
    progress: opts.progress,
    label: `${name} at scale ${scale}`,
    commandLine: `obtainMessages(${JSON.stringify(name)}, { scale: ${JSON.stringify(scale)} })`,
  });
  if (result.interrupted) {
    throw new Error(
      `${name}: ${result.interrupted}; ${result.records.length} records and ${result.limits.length} limit rows saved in ${shownPath(dir)}`,
    );
  }
  return { ...base, source: 'run', description: result.description, records: result.records, limits: result.limits };
}
