/**
 * The bench's second table, as pure arithmetic: per channel, Node's raw channel against the C
 * program (native/ipc_baseline.c) moving the same bytes between two processes into a fresh
 * destination — what Node itself costs beyond the machine. A stream channel is read both ways a
 * Node receiver can (lib/measure/direct-read.ts): straight into the destination, as the C program
 * and the stream transports read, and through libuv's 64 KiB chunks, so the table shows what the
 * direct read buys.
 */
import { type FloorPart, type FloorPartMedian, type FloorRecipe, floorFromSamples, medianOrNull, ratioOf } from './floors';
import type { ChannelRound } from './rounds';
import { spreadOf } from './stats';

/** The channels of the second table; `shm` is shared memory. */
export const BENCH_CHANNELS = ['pipe', 'unix', 'tcp', 'shm'] as const;
/** See {@link BENCH_CHANNELS}. */
export type BenchChannel = (typeof BENCH_CHANNELS)[number];

/**
 * What Node does on each channel in the second table: the hidden raw transport for a stream; for
 * shm, the two copies the C program makes (into the touched shared mapping, then out into a fresh
 * destination), as two TypedArray.set.
 */
export const NODE_CHANNEL_PARTS: Readonly<Record<BenchChannel, readonly FloorPart[]>> = {
  pipe: ['raw-pipe'],
  unix: ['raw-unix'],
  tcp: ['raw-tcp'],
  shm: ['set-touched', 'set-fresh'],
};

/**
 * Node's side of a channel as a recipe of its parts, each once, so that the row's time (of the
 * parts' medians) and one round's (of that round's samples) add up alike.
 */
export function nodeChannelRecipe(channel: BenchChannel): FloorRecipe {
  return {
    transport: channel,
    codec: 'none',
    payload: 'int32',
    parts: NODE_CHANNEL_PARTS[channel].map((part) => ({ part, times: 1 })),
    note: '',
  };
}

/** A stream channel's raw transport read chunked (the hidden raw-*-chunked): none for shm. */
export const NODE_CHUNKED_CHANNEL: Readonly<Record<BenchChannel, string | null>> = {
  pipe: 'raw-pipe-chunked',
  unix: 'raw-unix-chunked',
  tcp: 'raw-tcp-chunked',
  shm: null,
};

/** One row of the second table: Node's raw channel against the C program, same bytes, fresh destination. */
export interface ChannelRow {
  channel: BenchChannel;
  sizeElements: number;
  bytes: number;
  /** Σ medians of Node's parts for the channel (see {@link NODE_CHANNEL_PARTS}); a stream's read straight into the destination. */
  nodeSeconds: number | null;
  nodeParts: FloorPartMedian[];
  /** Median of Node's raw channel read through libuv's chunks (see {@link NODE_CHUNKED_CHANNEL}); null for shm or when not measured. */
  chunkedSeconds: number | null;
  /** Median of the C program's transfers. */
  cSeconds: number | null;
  /** nodeSeconds ÷ cSeconds. */
  ratio: number | null;
  /** chunkedSeconds ÷ cSeconds. */
  chunkedRatio: number | null;
  /**
   * Node's direct read per round, in the order measured: the part's samples for a stream channel;
   * for shm, its parts' samples added round by round (empty when the parts have unequal counts).
   */
  nodeSamplesSeconds: number[];
  chunkedSamplesSeconds: number[];
  cSamplesSeconds: number[];
  /** (max − min) ÷ median of each way's samples (see spreadOf): how much the rounds disagreed; null with fewer than 2. */
  nodeSpread: number | null;
  chunkedSpread: number | null;
  cSpread: number | null;
  /** What each round measured, for ratios within a round (lib/sweep/rounds.ts); null: the row kept none (saved before rows kept them). */
  byRound: ChannelRound[] | null;
  reason: string;
}

/** A channel's rounds of Node's parts, added round by round; empty when a part is missing or the parts' counts differ. */
function roundsOf(parts: readonly FloorPart[], samples: Partial<Record<FloorPart, readonly number[]>>): number[] {
  const each = parts.map((part) => samples[part] ?? []);
  const count = each[0]?.length ?? 0;
  if (each.some((s) => s.length !== count)) return [];
  return Array.from({ length: count }, (_, i) => each.reduce((sum, s) => sum + s[i], 0));
}

/** The row of the second table from Node's part samples and the C program's samples. */
export function channelRow(input: {
  channel: BenchChannel;
  sizeElements: number;
  nodeSamples: Partial<Record<FloorPart, readonly number[]>>;
  /** Node's chunked read of a stream channel; none for shm. */
  chunkedSamples?: readonly number[];
  cSamples: readonly number[];
  /** The same samples round by round (see ChannelRound); without them the row keeps none (byRound null). */
  byRound?: readonly ChannelRound[];
  errors?: readonly string[];
}): ChannelRow {
  const node = floorFromSamples(nodeChannelRecipe(input.channel), input.nodeSamples);
  const cSeconds = medianOrNull(input.cSamples);
  const chunkedSeconds = medianOrNull(input.chunkedSamples);
  const { ratio, reason } = ratioOf(node.seconds, cSeconds, ['Node time', 'C time']);
  const nodeRounds = roundsOf(NODE_CHANNEL_PARTS[input.channel], input.nodeSamples);
  const why = [reason, ...new Set(input.errors ?? [])].filter((text) => text !== '');
  return {
    channel: input.channel,
    sizeElements: input.sizeElements,
    bytes: 4 * input.sizeElements,
    nodeSeconds: node.seconds,
    nodeParts: node.parts,
    chunkedSeconds,
    cSeconds,
    ratio,
    chunkedRatio: ratioOf(chunkedSeconds, cSeconds).ratio,
    nodeSamplesSeconds: nodeRounds,
    chunkedSamplesSeconds: [...(input.chunkedSamples ?? [])],
    cSamplesSeconds: [...input.cSamples],
    nodeSpread: spreadOf(nodeRounds),
    chunkedSpread: spreadOf(input.chunkedSamples),
    cSpread: spreadOf(input.cSamples),
    byRound: input.byRound?.map((r) => ({ ...r })) ?? null,
    reason: why.join('; '),
  };
}
