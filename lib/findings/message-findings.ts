/**
 * The messages notebook's findings beside its targets (messages.ts): what the run checked, CPU per
 * message, JSON against v8 on small objects, the fastest transports, what batching gains and how
 * much of a blocking round trip is waking the other side. Each is numbers, names and verdicts; the
 * notebook's source (tools/notebooks/sources/15-messages.ts) words them.
 */
import { transportLabel } from '../model/record';
import type { FailedPhase } from '../model/types';
import {
  isMainPoint,
  LIMIT_FOR,
  type MessagePattern,
  type MessagePoint,
  type MessageRun,
  messageSeriesName,
  messageSizes,
  pointsOf,
  smallSize,
} from './messages';

/** Runs of one series, pattern and size that failed (or were refused: phase `limits`) with the same error. */
export interface MessageFailure {
  series: string;
  pattern: string;
  messageBytes: number | null;
  failedPhase: FailedPhase | '';
  error: string;
  runs: number;
}

/**
 * What the run checked: its transfers and limit runs, how many failed or were refused (of them,
 * `refusedRuns` refused), and why (each failure once, with its count).
 */
export function messageChecks(run: MessageRun): {
  transfers: number;
  limitRuns: number;
  failedRuns: number;
  refusedRuns: number;
  failures: MessageFailure[];
} {
  const failed = [
    ...run.records.filter((r) => !r.ok).map((r) => ({ ...r, series: messageSeriesName(r.runtime, transportLabel(r), r.payload) })),
    ...run.limits
      .filter((l) => !l.ok)
      .map((l) => ({
        ...l,
        series: messageSeriesName(l.source, l.channel, null),
        failedPhase: l.failedPhase ?? ('' as const),
        error: l.error ?? '',
      })),
  ].map(({ series, pattern, messageBytes, failedPhase, error }) => ({ series, pattern, messageBytes, failedPhase, error }));
  const failures = new Map<string, MessageFailure>();
  for (const f of failed) failures.set(JSON.stringify(f), { ...f, runs: (failures.get(JSON.stringify(f))?.runs ?? 0) + 1 });
  return {
    transfers: run.records.length,
    limitRuns: run.limits.length,
    failedRuns: failed.length,
    refusedRuns: failed.filter((f) => f.failedPhase === 'limits').length,
    failures: [...failures.values()],
  };
}

/** CPU per message at one size of the two rings and three transports that block: streams' receivers, round trips' both peers. */
export interface CpuFindings {
  messageBytes: number;
  /** `cpuShare` = receiver CPU ÷ wall time per message: 1 is a core busy all along. */
  stream: { transport: string; receiverCpuSeconds: number; wallSeconds: number; cpuShare: number }[];
  roundTrip: { transport: string; clientCpuSeconds: number; serverCpuSeconds: number; p50Seconds: number }[];
}

export function cpuFindings(run: MessageRun, messageBytes = smallSize(run)): CpuFindings {
  const { at } = pointsOf(run);
  const transports = ['ring', 'ring-thread', 'pipe', 'queue', 'ipc'];
  const stream = transports.flatMap((transport) => {
    const p = at('node', transport, 'rate', messageBytes);
    if (!p?.messagesPerSecond || p.receiverCpuSecondsPerMessage === null) return [];
    const [receiverCpuSeconds, wallSeconds] = [p.receiverCpuSecondsPerMessage, 1 / p.messagesPerSecond];
    return [{ transport, receiverCpuSeconds, wallSeconds, cpuShare: receiverCpuSeconds / wallSeconds }];
  });
  // In a round trip each peer waits for the other half the time: a poller's CPU then exceeds a sleeper's.
  const roundTrip = transports.flatMap((transport) => {
    const p = at('node', transport, 'roundtrip', messageBytes);
    const [clientCpuSeconds, serverCpuSeconds] = [p?.senderCpuSecondsPerMessage, p?.receiverCpuSecondsPerMessage];
    if (!p?.roundTripP50Seconds || clientCpuSeconds == null || serverCpuSeconds == null) return [];
    return [{ transport, clientCpuSeconds, serverCpuSeconds, p50Seconds: p.roundTripP50Seconds }];
  });
  return { messageBytes, stream, roundTrip };
}

/** A codec's stream rate and p50 round trip on small objects. */
type CodecSpeed = { perSecond: number; p50Seconds: number };

/** JSON against v8 for the same small objects on one channel at one size. */
export interface JsonFinding {
  channel: 'pipe' | 'fork IPC';
  messageBytes: number;
  json: CodecSpeed;
  v8: CodecSpeed;
  /** JSON's stream rate ÷ v8's; above 1 (`jsonStreamsFaster`), JSON streams faster. */
  rateRatio: number;
  jsonStreamsFaster: boolean;
  /** JSON's p50 round trip ÷ v8's: below 1, JSON's round trip is quicker. */
  p50Ratio: number;
}

/** Per size, the pipe's two codecs and fork IPC's two serializations, where the run has both patterns of both. */
export function jsonFindings(run: MessageRun): JsonFinding[] {
  const { at } = pointsOf(run);
  const speed = (label: string, bytes: number): CodecSpeed | null => {
    const perSecond = at('node', label, 'rate', bytes, 'object')?.messagesPerSecond;
    const p50Seconds = at('node', label, 'roundtrip', bytes, 'object')?.roundTripP50Seconds;
    return perSecond && p50Seconds ? { perSecond, p50Seconds } : null;
  };
  const pairs = [['pipe', 'pipe/json', 'pipe'] as const, ['fork IPC', 'ipc-json', 'ipc'] as const];
  return messageSizes(run).flatMap((messageBytes) =>
    pairs.flatMap(([channel, jsonLabel, v8Label]) => {
      const [json, v8] = [speed(jsonLabel, messageBytes), speed(v8Label, messageBytes)];
      if (!json || !v8) return [];
      const rateRatio = json.perSecond / v8.perSecond;
      return [{ channel, messageBytes, json, v8, rateRatio, jsonStreamsFaster: rateRatio > 1, p50Ratio: json.p50Seconds / v8.p50Seconds }];
    }),
  );
}

/** The fastest at one pattern and size: Node's transport (and between processes, when that is another), CPython's, bare Node's, C's. */
export interface FastestFinding {
  pattern: MessagePattern;
  node: MessagePoint | null;
  /** The fastest between processes, when the fastest overall runs between threads; else null. */
  betweenProcesses: MessagePoint | null;
  cpython: MessagePoint | null;
  bareNode: MessagePoint | null;
  c: MessagePoint | null;
}

const THREAD_TRANSPORTS = ['queue', 'transfer', 'ring-thread', 'ring-thread/raw'];

/** For each pattern, the best series of each kind: the lowest p50 round trip, or the highest stream rate. */
export function fastestFindings(run: MessageRun, messageBytes = smallSize(run)): FastestFinding[] {
  const { points } = pointsOf(run);
  return (['roundtrip', 'rate'] as const).map((pattern) => {
    const speed = (p: MessagePoint) =>
      (pattern === 'roundtrip' ? p.roundTripP50Seconds && 1 / p.roundTripP50Seconds : p.messagesPerSecond) ?? 0;
    const ranked = points.filter((p) => p.pattern === pattern && p.messageBytes === messageBytes && isMainPoint(p) && speed(p) > 0);
    ranked.sort((a, b) => speed(b) - speed(a));
    const best = (keep: (p: MessagePoint) => boolean) => ranked.find(keep) ?? null;
    const [node, cpython, bareNode, c] = (['node', 'cpython', 'node-minimal', 'c'] as const).map((source) =>
      best((p) => p.source === source),
    );
    const processes = best((p) => p.source === 'node' && !THREAD_TRANSPORTS.includes(p.label));
    return { pattern, node, betweenProcesses: processes === node ? null : processes, cpython, bareNode, c };
  });
}

/**
 * Where batching pays: per Node transport, small messages per second one by one, and the gain when
 * they travel packed into 1 KiB or 64 KiB messages (the larger message's stream rate × the small
 * messages it holds ÷ the one-by-one rate: above 1, batching pays).
 */
export interface BatchingFindings {
  messageBytes: number;
  transports: { transport: string; perSecond: number; gains: { batchBytes: number; gain: number }[] }[];
}

export function batchingFindings(run: MessageRun): BatchingFindings {
  const { at } = pointsOf(run);
  const small = smallSize(run);
  const rate = (transport: string, bytes: number) => at('node', transport, 'rate', bytes)?.messagesPerSecond;
  const batches = messageSizes(run).filter((b) => b > small && (b === 1024 || b === 65536));
  const transports = Object.keys(LIMIT_FOR).flatMap((transport) => {
    const perSecond = rate(transport, small);
    const gains = batches.flatMap((batchBytes) => {
      const batched = rate(transport, batchBytes);
      return perSecond && batched ? [{ batchBytes, gain: (batched * (batchBytes / small)) / perSecond }] : [];
    });
    return perSecond && gains.length > 0 ? [{ transport, perSecond, gains }] : [];
  });
  return { messageBytes: small, transports };
}

/** A C round trip this many times two messages of its own stream, or more, is mostly waking the other side. */
export const WAKEUP_BOUND = 10;

/**
 * How much of a blocking round trip is waking the other side, over the channel where it is most:
 * the C program's p50 round trip at the channel's smallest size against two messages of its own
 * stream over it (what the bytes cost when nobody sleeps). A sleeping process — on a virtual
 * machine, its idle virtual CPU — takes tens of µs to wake, and a round trip wakes a side twice.
 */
export interface WakeupFinding {
  channel: string;
  messageBytes: number;
  p50Seconds: number;
  secondsPerMessage: number;
  /** p50 ÷ two streamed messages; at least WAKEUP_BOUND: `wakeupBound`, the round trip is mostly waking. */
  ratio: number;
  wakeupBound: boolean;
}

export function wakeupFinding(run: MessageRun): WakeupFinding | null {
  const { points, at } = pointsOf(run);
  const found = [...new Set(points.filter((p) => p.source === 'c').map((p) => p.label))].flatMap((channel) => {
    const messageBytes = Math.min(...points.filter((p) => p.source === 'c' && p.label === channel).map((p) => p.messageBytes));
    const p50Seconds = at('c', channel, 'roundtrip', messageBytes)?.roundTripP50Seconds;
    const perSecond = at('c', channel, 'rate', messageBytes)?.messagesPerSecond;
    if (!p50Seconds || !perSecond) return [];
    const ratio = (p50Seconds * perSecond) / 2;
    return [{ channel, messageBytes, p50Seconds, secondsPerMessage: 1 / perSecond, ratio, wakeupBound: ratio >= WAKEUP_BOUND }];
  });
  return found.reduce<WakeupFinding | null>((a, b) => (a === null || b.ratio > a.ratio ? b : a), null);
}
