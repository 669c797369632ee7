import * as fs from 'node:fs';
import * as path from 'node:path';
import { failedRow, type MessageLimitRow, type MessageLimitSource, runMessageLimit } from '../measure/message-limits/index';
import { abortActiveTransfers, runTransfer } from '../measure/runner/run-transfer';
import { formatBytes, formatRate, formatSeconds } from '../model/format';
import type { CodecName, PayloadKind, RunDescription, RunOptions, Runtime, TransferRecord, TransferSpec } from '../model/types';
import { messagesFor } from './plan';
import { Progress, type ProgressSink, sinkFor } from './progress';
import { loadResults, writeFileAtomic, writeResults } from './results-files';
import { startRun } from './sweep';

/**
 * The message bench: the message patterns of many transports and, measured alone in the same
 * minutes, the limits beside them — the C program's floor and a minimal Node loop per channel.
 * Round by round (every series and every limit once per round, then again), so that a transport
 * and its limit are compared on the same machine state; the transports' runs are records
 * (records.json), the limits' rows go to message-limits.json beside them. Saved after each step.
 */

/** One series of the bench: a transport with a payload and a codec, run at every size of every pattern. */
export interface MessageSeries {
  runtime: Runtime;
  transport: string;
  payload: PayloadKind;
  /** Omitted: the transport's analog. */
  codec?: CodecName;
  /** Sizes this series runs at, when not every size of the bench (a codec comparison at a few). */
  messageSizes?: number[];
}

/** One limit of the bench: a source's channel, run at every size of every pattern. */
export interface MessageLimitSeries {
  source: MessageLimitSource;
  channel: string;
}

/** What a message bench runs. */
export interface MessageBenchConfig {
  patterns: ('roundtrip' | 'rate')[];
  messageSizes: number[];
  /** Each run moves at most this many messages… */
  maxMessages: number;
  /** …and at most this many bytes (a run of 1 MiB messages moves fewer of them). */
  maxBytesPerRun: number;
  rounds: number;
  series: MessageSeries[];
  limits: MessageLimitSeries[];
}

/** One step of a round: a transport's run, or a limit's. */
export type MessageStep =
  | { kind: 'transfer'; spec: TransferSpec; round: number }
  | {
      kind: 'limit';
      source: MessageLimitSource;
      channel: string;
      pattern: 'roundtrip' | 'rate';
      messageBytes: number;
      messages: number;
      round: number;
    };

/** The bench's steps in the order they run: round by round, pattern by pattern, size by size. Pure. */
export function messageBenchSteps(config: MessageBenchConfig): MessageStep[] {
  const steps: MessageStep[] = [];
  for (let round = 0; round < config.rounds; round++) {
    for (const pattern of config.patterns) {
      for (const messageBytes of config.messageSizes) {
        const messages = messagesFor(messageBytes, config.maxMessages, config.maxBytesPerRun);
        for (const s of config.series) {
          if (s.messageSizes && !s.messageSizes.includes(messageBytes)) continue;
          const spec: TransferSpec = {
            runtime: s.runtime,
            transport: s.transport,
            payload: s.payload,
            sizeElements: messages,
            pattern,
            messageBytes,
          };
          if (s.codec) spec.codec = s.codec;
          steps.push({ kind: 'transfer', spec, round });
        }
        for (const l of config.limits) steps.push({ kind: 'limit', ...l, pattern, messageBytes, messages, round });
      }
    }
  }
  return steps;
}

/** A limit's row with the round it was measured in. */
export type MessageLimitRecord = MessageLimitRow & { round: number; runId: string };

/** What a message bench leaves: the run's description, the transports' records and the limits' rows. */
export interface MessageBenchResult {
  description: RunDescription;
  records: TransferRecord[];
  limits: MessageLimitRecord[];
  /** Set when a signal stopped it before its end. */
  interrupted: string | null;
}

/** The limits file beside records.json. */
export const MESSAGE_LIMITS_FILE = 'message-limits.json';

/** Load a saved message bench from its results directory. */
export function loadMessageBench(dir: string): Omit<MessageBenchResult, 'interrupted'> {
  const { description, records } = loadResults(dir);
  const file = path.join(dir, MESSAGE_LIMITS_FILE);
  const limits = fs.existsSync(file) ? ((JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: MessageLimitRecord[] }).rows ?? []) : [];
  return { description, records, limits };
}

export interface MessageBenchRequest {
  config: MessageBenchConfig;
  outDir: string;
  options?: Partial<RunOptions>;
  label?: string;
  commandLine?: string;
  progress?: ProgressSink;
}

function limitLine(row: MessageLimitRow): string {
  if (row.pattern === 'roundtrip') {
    return `ok  p50 ${formatSeconds(row.roundTripP50Seconds)}  p99 ${formatSeconds(row.roundTripP99Seconds)}`;
  }
  return `ok  ${formatRate(row.messagesPerSecond, 'messages')}`;
}

/** Run a message bench, saving after every step; SIGINT/SIGTERM stop it after the running step, with what was measured saved. */
export async function runMessageBench(request: MessageBenchRequest): Promise<MessageBenchResult> {
  const steps = messageBenchSteps(request.config);
  const options = request.options ?? {};
  const description = startRun(request);
  const progress = new Progress(steps.length, request.progress ?? sinkFor(process.stderr));
  const records: TransferRecord[] = [];
  const limits: MessageLimitRecord[] = [];
  let first = true;
  const save = () => {
    writeResults(request.outDir, description, records, { first });
    first = false;
    writeFileAtomic(
      path.join(request.outDir, MESSAGE_LIMITS_FILE),
      `${JSON.stringify({ schema: 1, runId: description.runId, rows: limits }, null, 1)}\n`,
    );
  };
  let interrupted: string | null = null;
  const aborter = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = `interrupted by ${signal}`;
    abortActiveTransfers(interrupted);
    aborter.abort();
  };
  await new Promise((resolve) => setImmediate(resolve)); // see sweep.ts: tslab's SIGINT watchdog
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    save();
    for (const step of steps) {
      if (interrupted) break;
      if (step.kind === 'transfer') {
        progress.start(step.spec, step.round, false);
        const record = await runTransfer(step.spec, options, { runId: description.runId, repeat: step.round, warmup: false });
        records.push(record);
        progress.finish(record);
      } else {
        const label = `${step.source} ${step.channel} ${step.pattern} ${formatBytes(step.messageBytes)} × ${step.messages} round ${step.round + 1}`;
        progress.startStep(label);
        const row = await runMessageLimit(step.source, step.channel, step.pattern, step.messageBytes, step.messages, {
          timeoutSeconds: options.timeoutSeconds ?? 300,
          signal: aborter.signal,
        }).catch((error: Error) => failedRow(step, `limits: ${error.message}`)); // a size the program does not take (ipc-json below 64 B)
        limits.push({ ...row, round: step.round, runId: description.runId });
        progress.finishStep(label, limitLine(row), row.ok ? '' : (row.error ?? 'failed'));
      }
      save();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.end(interrupted);
  return { description, records, limits, interrupted };
}
