import * as path from 'node:path';
import { CPYTHON_TRANSPORTS, patternsOf } from '../../model/catalog';
import { ARTICLE_METHODS_PY } from '../../model/paths';
import { MESSAGE_PAYLOADS, type RunOptions, type TransferRecord, type TransferSpec } from '../../model/types';
import { histogramOf, rateOf, summarizeRoundTrips } from '../messages/histogram';

/**
 * The cpython runtime's message patterns (roundtrip and rate) over multiprocessing's Pipe, Queue
 * and Manager: which specs message_patterns.py (beside this file) can run, its command line, and
 * the record made from the raw numbers it reports (round trips in ns through Node's HDR
 * histogram, so that CPython's percentiles are computed exactly as Node's and C's are).
 */

/** The program that runs a message pattern in CPython. */
export const MESSAGE_PATTERNS_PY = path.join(path.dirname(ARTICLE_METHODS_PY), 'message_patterns.py');

/** The cpython transports that carry the message patterns (the catalog's say): pipe, queue, manager. */
export const CPYTHON_MESSAGE_TRANSPORTS: readonly string[] = CPYTHON_TRANSPORTS.filter((t) => patternsOf(t).includes('roundtrip')).map(
  (t) => t.id,
);

/** The message payloads CPython builds: bytes, a dict (object), array.array('i') (int32). */
const CPYTHON_MESSAGE_PAYLOADS: readonly string[] = MESSAGE_PAYLOADS;

/** An int32 message carries its seq in element 0, so warm-up (at most 1000) and measured messages must fit in an int32. */
const MAX_MESSAGES = 2 ** 31 - 1 - 1000;

/** An object message's JSON is at least this long (the fields with one value and an empty pad, and room for the seq). */
export const OBJECT_MIN_BYTES = 64;

/** Why message_patterns.py cannot run this message spec, or null when it can try. */
export function cpythonMessageLimit(spec: TransferSpec): string | null {
  if (!CPYTHON_MESSAGE_TRANSPORTS.includes(spec.transport)) {
    return `cpython runs the message patterns over pipe, queue and manager, not ${spec.transport}`;
  }
  if (!CPYTHON_MESSAGE_PAYLOADS.includes(spec.payload)) {
    return `cpython runs the message patterns with bytes, object and int32 messages, not the ${spec.payload} payload`;
  }
  const bytes = spec.messageBytes;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes)) return `message size ${String(bytes)} is not a whole number of bytes`;
  if (bytes < 8) return `a message needs at least 8 bytes (its seq and check word); ${bytes} is too small`;
  if (spec.payload === 'int32' && bytes % 4 !== 0) return `int32 messages need a multiple of 4 bytes, got ${bytes}`;
  if (spec.payload === 'object' && bytes < OBJECT_MIN_BYTES) return `object messages need at least ${OBJECT_MIN_BYTES} bytes, got ${bytes}`;
  if (!Number.isSafeInteger(spec.sizeElements) || spec.sizeElements < 1 || spec.sizeElements > MAX_MESSAGES) {
    return `messages must be a whole number from 1 to ${MAX_MESSAGES} (an int32 seq), got ${spec.sizeElements}`;
  }
  return null;
}

/** message_patterns.py's arguments for one spec, with the private dir it works in. */
export function messageProgramArgs(spec: TransferSpec, dir: string, options: RunOptions): string[] {
  const args = [
    MESSAGE_PATTERNS_PY,
    '--pattern',
    String(spec.pattern),
    '--method',
    spec.transport,
    '--payload',
    spec.payload,
    '--message-bytes',
    String(spec.messageBytes),
    '--messages',
    String(spec.sizeElements),
    '--tmp-dir',
    dir,
    '--watch-stdin',
  ];
  if (options.fault !== 'none') args.push('--fault', options.fault);
  if (options.verbose) args.push('--verbose');
  return args;
}

/** The JSON line message_patterns.py prints on success (times in ns on CLOCK_MONOTONIC, CPU in s). */
export interface MessageProgramSuccess {
  ok: true;
  python: string;
  pattern: 'roundtrip' | 'rate';
  messages: number;
  warmupMessages: number;
  /** roundtrip: one sample per measured message; rate: null. */
  roundTripNs: number[] | null;
  firstSendNs: number;
  lastHeldNs: number;
  senderCpuSeconds: number;
  receiverCpuSeconds: number;
  /** The pickled size of the last message (what a Connection frames, without its 4-byte length). */
  pickledMessageBytes: number;
  senderPeakRssBytes: number | null;
  receiverPeakRssBytes: number | null;
  brokerPeakRssBytes: number | null;
}

const MESSAGE_NUMBERS = ['messages', 'warmupMessages', 'firstSendNs', 'lastHeldNs', 'senderCpuSeconds', 'receiverCpuSeconds'] as const;

/** What is wrong with a success line of message_patterns.py for this spec, or null when it is whole. */
export function messageResultProblem(obj: Record<string, unknown>, spec: TransferSpec): string | null {
  for (const key of MESSAGE_NUMBERS) {
    if (typeof obj[key] !== 'number' || !Number.isFinite(obj[key])) return `printed a result without ${key}`;
  }
  if (obj.messages !== spec.sizeElements) return `reported ${String(obj.messages)} messages, expected ${spec.sizeElements}`;
  if (!((obj.lastHeldNs as number) > (obj.firstSendNs as number))) return 'reported a last message held before the first send';
  if (spec.pattern === 'roundtrip') {
    const samples = obj.roundTripNs;
    if (!Array.isArray(samples) || samples.length !== spec.sizeElements || !samples.every((ns) => typeof ns === 'number' && ns >= 0)) {
      return `printed ${Array.isArray(samples) ? samples.length : 'no'} round-trip samples, expected ${spec.sizeElements} in ns`;
    }
  }
  return null;
}

/**
 * Fill an ok record from the program's numbers: the round trip's distribution (roundtrip) or the
 * stream's rate (rate), CPU per message, and totalSeconds = first measured send to last message
 * held. `bytes` stays null: a Connection or Queue frames each pickle itself and says nothing of it.
 */
export function fillMessageRecord(record: TransferRecord, result: MessageProgramSuccess): TransferRecord {
  const messages = result.messages;
  const messageBytes = record.messageBytes ?? 0;
  record.ok = true;
  record.totalSeconds = (result.lastHeldNs - result.firstSendNs) / 1e9;
  if (result.pattern === 'roundtrip' && result.roundTripNs) {
    const summary = summarizeRoundTrips(histogramOf(result.roundTripNs));
    Object.assign(record, summary);
    Object.assign(record, rateOf(1, messageBytes, summary.roundTripMeanSeconds));
  } else {
    Object.assign(record, rateOf(messages, messageBytes, record.totalSeconds));
  }
  record.senderCpuSecondsPerMessage = result.senderCpuSeconds / messages;
  record.receiverCpuSecondsPerMessage = result.receiverCpuSeconds / messages;
  record.senderPeakRssBytes = result.senderPeakRssBytes;
  record.receiverPeakRssBytes = result.receiverPeakRssBytes;
  record.brokerPeakRssBytes = result.brokerPeakRssBytes;
  return record;
}
