import { formatBytes } from '../../model/format';
import { NO_MESSAGE_MEASURES } from '../../model/record';
import type { FailedPhase, MessageMeasures } from '../../model/types';
import { UsageError } from '../../model/usage-error';
import { histogramOf, rateOf, summarizeRoundTrips } from '../messages/histogram';
import { MIN_MESSAGE_BYTES, warmupMessages } from '../messages/message';

/**
 * The limits beside the message patterns, as flat rows: the machine's floor (native/msg_baseline.c)
 * and what bare Node costs (minimal-node-peer/), per channel, pattern and message size. Both
 * programs print the same raw result; this module checks a request, and turns a raw result into a
 * row the one way every source uses (lib/measure/messages/histogram.ts). Pure: no process here.
 */

/** Who moves the messages: plain C system calls, or a minimal program on the bare Node API. */
export type MessageLimitSource = 'c' | 'node-minimal';
export const MESSAGE_LIMIT_SOURCES: readonly MessageLimitSource[] = ['c', 'node-minimal'];

/** The C floor's channels: two pipes, a Unix socket, TCP loopback, a shared mapping with futex waits. */
export const C_MESSAGE_CHANNELS = ['pipe', 'unix', 'tcp', 'shm'] as const;
/**
 * Minimal Node's channels: FIFOs, Unix socket, TCP (each with the bytes as they are, and with each
 * message v8-serialized behind a length: `pipe-v8`…), a MessageChannel between workers, fork IPC
 * (advanced, json).
 */
export const NODE_MINIMAL_CHANNELS = ['pipe', 'unix', 'tcp', 'pipe-v8', 'unix-v8', 'tcp-v8', 'port', 'ipc', 'ipc-json'] as const;
/** Each source's channels. */
export const MESSAGE_LIMIT_CHANNELS: Readonly<Record<MessageLimitSource, readonly string[]>> = {
  c: C_MESSAGE_CHANNELS,
  'node-minimal': NODE_MINIMAL_CHANNELS,
};

/** The two message patterns (see lib/model/types.ts Pattern). */
export type MessageLimitPattern = 'roundtrip' | 'rate';
export const MESSAGE_LIMIT_PATTERNS: readonly MessageLimitPattern[] = ['roundtrip', 'rate'];

/** The largest message both programs take (their buffers are sized for it): 1 MiB. */
export const MAX_LIMIT_MESSAGE_BYTES = 1 << 20;
/** The most measured messages one run takes. */
export const MAX_LIMIT_MESSAGES = 10_000_000;

/** What a run is asked to do. */
export interface MessageLimitRequest {
  source: MessageLimitSource;
  channel: string;
  pattern: MessageLimitPattern;
  messageBytes: number;
  /** Measured messages (round trips, or messages of the stream), after warmupMessages(messages) warm-ups. */
  messages: number;
}

/** One run's row. A failed run has ok false, a one-line error and null numbers (histogram ''); the measures are a record's (MessageMeasures). */
export interface MessageLimitRow extends MessageMeasures {
  source: MessageLimitSource;
  channel: string;
  pattern: MessageLimitPattern;
  messageBytes: number;
  messages: number;
  warmupMessages: number;
  ok: boolean;
  /** Why it failed, in its own words (no prefix); null when ok. */
  error: string | null;
  /** `limits` when the run was refused before it started (a size the program does not take), else the phase that failed; null when ok. */
  failedPhase: FailedPhase | null;
  /**
   * Whose CPU that is: `process` (getrusage / process.cpuUsage: every thread of the peer's process)
   * or `thread` (a worker thread's own, from /proc/thread-self/schedstat, since process.cpuUsage in
   * a worker is the whole process's).
   */
  cpuMeasure: 'process' | 'thread' | null;
}

/** What msg_baseline and the minimal Node program print (one JSON object). */
export interface RawLimitResult {
  channel: string;
  pattern: string;
  bytes: number;
  messages: number;
  warmup: number;
  senderCpuNs: number;
  receiverCpuNs: number;
  cpuMeasure?: 'process' | 'thread';
  samplesNs?: number[];
  firstSendNs?: number;
  lastHeldNs?: number;
}

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** Throws a one-line UsageError for a request the programs cannot run, naming the value and what is valid. */
export function checkRequest(request: MessageLimitRequest): void {
  const { source, channel, pattern, messageBytes, messages } = request;
  if (!MESSAGE_LIMIT_SOURCES.includes(source))
    throw new UsageError(`message-limit source ${JSON.stringify(source)} is not one of ${MESSAGE_LIMIT_SOURCES.join(', ')}`);
  const channels = MESSAGE_LIMIT_CHANNELS[source];
  if (!channels.includes(channel))
    throw new UsageError(`channel ${JSON.stringify(channel)} is not one of ${source}'s channels: ${channels.join(', ')}`);
  if (!MESSAGE_LIMIT_PATTERNS.includes(pattern))
    throw new UsageError(`pattern ${JSON.stringify(pattern)} is not one of ${MESSAGE_LIMIT_PATTERNS.join(', ')}`);
  // ipc-json sends object messages (a JSON record needs 64 bytes); the others a seq and a check word (8).
  const minBytes = MIN_MESSAGE_BYTES[channel === 'ipc-json' ? 'object' : 'bytes'];
  const valid = `valid: ${formatBytes(minBytes)} to ${formatBytes(MAX_LIMIT_MESSAGE_BYTES)}`;
  const needs = channel === 'ipc-json' ? 'ipc-json sends object messages, which need' : 'a message needs';
  if (!isWhole(messageBytes)) throw new UsageError(`message size ${messageBytes} is not a whole number of bytes (${valid})`);
  if (messageBytes < minBytes) throw new UsageError(`${needs} at least ${minBytes} bytes; ${messageBytes} is too small (${valid})`);
  if (messageBytes > MAX_LIMIT_MESSAGE_BYTES)
    throw new UsageError(`message size ${messageBytes} is larger than the programs' buffers hold (${valid})`);
  if (!isWhole(messages) || messages < 1 || messages > MAX_LIMIT_MESSAGES)
    throw new UsageError(`message count ${messages} is not a whole number from 1 to ${MAX_LIMIT_MESSAGES}`);
}

const EMPTY = { ...NO_MESSAGE_MEASURES, cpuMeasure: null } as const;

/** A failed run's row: the error on one line, and the phase (`limits`: refused before it ran). */
export function failedRow(request: MessageLimitRequest, error: string, failedPhase: FailedPhase = 'transfer'): MessageLimitRow {
  const line = error.replace(/\s+/g, ' ').trim() || 'failed without a message';
  return { ...request, warmupMessages: warmupMessages(request.messages), ok: false, error: line, failedPhase, ...EMPTY };
}

/**
 * The row of a raw result; a result that does not answer the request (wrong counts, a sample that
 * is not a positive number, a rate with no time) is a failed row saying what is wrong.
 */
export function rowFromResult(request: MessageLimitRequest, raw: RawLimitResult): MessageLimitRow {
  const wrong = (what: string) => failedRow(request, `the ${request.source} program printed ${what}`);
  const { messages, messageBytes, pattern } = request;
  if (raw.messages !== messages || raw.bytes !== messageBytes || raw.pattern !== pattern || raw.channel !== request.channel)
    return wrong(`a result for ${raw.messages} ${raw.pattern} messages of ${raw.bytes} B over ${raw.channel}`);
  if (!isWhole(raw.senderCpuNs) || !isWhole(raw.receiverCpuNs) || raw.senderCpuNs < 0 || raw.receiverCpuNs < 0)
    return wrong(`CPU times ${raw.senderCpuNs} and ${raw.receiverCpuNs} ns`);
  const cpu = {
    senderCpuSecondsPerMessage: raw.senderCpuNs / 1e9 / messages,
    receiverCpuSecondsPerMessage: raw.receiverCpuNs / 1e9 / messages,
    cpuMeasure: raw.cpuMeasure ?? 'process',
  } as const;
  const base = { ...request, warmupMessages: raw.warmup, ok: true, error: null, failedPhase: null };
  if (pattern === 'roundtrip') {
    const samples = raw.samplesNs;
    if (!Array.isArray(samples) || samples.length !== messages)
      return wrong(`${samples?.length ?? 'no'} samples for ${messages} round trips`);
    if (!samples.every((ns) => isWhole(ns) && ns > 0)) return wrong('a round-trip sample that is not a positive whole number of ns');
    const summary = summarizeRoundTrips(histogramOf(samples));
    return { ...base, ...summary, ...rateOf(1, messageBytes, summary.roundTripMeanSeconds), ...cpu };
  }
  const { firstSendNs, lastHeldNs } = raw;
  if (!isWhole(firstSendNs) || !isWhole(lastHeldNs) || !(lastHeldNs > firstSendNs))
    return wrong(`first send ${firstSendNs} ns and last held ${lastHeldNs} ns, not an interval`);
  return { ...base, ...EMPTY, ...rateOf(messages, messageBytes, (lastHeldNs - firstSendNs) / 1e9), ...cpu };
}
