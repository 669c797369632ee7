import type { MessageLimitSource } from '../measure/message-limits/index';
import type { CodecName, PayloadKind, RunDescription, Runtime, TransferRecord, TransferSpec } from '../model/types';
import { messagesFor } from './plan';
import { loadRun } from './plan-files';
import { type PlanRequest, runPlan } from './run-plan';
import type { MessageLimitRecord, Step, StepResult } from './steps';

export type { MessageLimitRecord } from './steps';

/**
 * The message bench: the message patterns of many transports and, measured alone in the same
 * minutes, the limits beside them — the C program's floor and a minimal Node loop per channel.
 * Round by round (every series and every limit once per round, then again), so that a transport
 * and its limit are compared on the same machine state; the transports' runs are records
 * (records.json), the limits' rows go to steps.json beside them. Saved after each step by the one loop (run-plan.ts).
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

/** The bench's steps in the order they run: round by round, pattern by pattern, size by size. Pure. */
export function messageBenchSteps(config: MessageBenchConfig): Step[] {
  const steps: Step[] = [];
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
          steps.push({ kind: 'transfer', spec, round, warmup: false });
        }
        for (const l of config.limits) steps.push({ kind: 'message-limit', ...l, pattern, messageBytes, messages, round });
      }
    }
  }
  return steps;
}

/** What a message bench leaves: the run's description, the transports' records and the limits' rows. */
export interface MessageBenchResult {
  description: RunDescription;
  records: TransferRecord[];
  limits: MessageLimitRecord[];
  /** Set when a signal stopped it before its end. */
  interrupted: string | null;
}

/** The limits' rows among a plan's results. */
const limitRows = (results: readonly StepResult[]): MessageLimitRecord[] =>
  results.flatMap((r) => (r.kind === 'message-limit' ? [r.row] : []));

/** Load a saved message bench from its results directory. */
export function loadMessageBench(dir: string): Omit<MessageBenchResult, 'interrupted'> {
  const { description, records, steps } = loadRun(dir);
  return { description, records, limits: limitRows(steps) };
}

export interface MessageBenchRequest extends Omit<PlanRequest, 'notes' | 'runner' | 'quiet'> {
  config: MessageBenchConfig;
}

/** Run a message bench with the one loop, saving after every step; SIGINT/SIGTERM stop it after the running step, with what was measured saved. */
export async function runMessageBench(request: MessageBenchRequest): Promise<MessageBenchResult> {
  const result = await runPlan(messageBenchSteps(request.config), request);
  return { description: result.description, records: result.records, limits: limitRows(result.results), interrupted: result.interrupted };
}
