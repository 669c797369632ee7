/**
 * The bench's second table, as pure arithmetic: per channel, Node's raw channel against the C
 * program (native/ipc_baseline.c) moving the same bytes between two processes into a fresh
 * destination — what Node itself costs beyond the machine.
 */
import { type FloorPart, type FloorPartMedian, type FloorPartUse, floorFromSamples, medianOrNull, ratioOf } from './floors';

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

/** One row of the second table: Node's raw channel against the C program, same bytes, fresh destination. */
export interface ChannelRow {
  channel: BenchChannel;
  sizeElements: number;
  bytes: number;
  /** Σ medians of Node's parts for the channel (see {@link NODE_CHANNEL_PARTS}). */
  nodeSeconds: number | null;
  nodeParts: FloorPartMedian[];
  /** Median of the C program's transfers. */
  cSeconds: number | null;
  ratio: number | null;
  reason: string;
}

/** The row of the second table from Node's part samples and the C program's samples. */
export function channelRow(input: {
  channel: BenchChannel;
  sizeElements: number;
  nodeSamples: Partial<Record<FloorPart, readonly number[]>>;
  cSamples: readonly number[];
  errors?: readonly string[];
}): ChannelRow {
  const parts: FloorPartUse[] = NODE_CHANNEL_PARTS[input.channel].map((part) => ({ part, times: 1 }));
  const node = floorFromSamples({ transport: input.channel, codec: 'none', payload: 'int32', parts, note: '' }, input.nodeSamples);
  const cSeconds = medianOrNull(input.cSamples);
  const { ratio, reason } = ratioOf(node.seconds, cSeconds, ['Node time', 'C time']);
  const why = [reason, ...new Set(input.errors ?? [])].filter((text) => text !== '');
  return {
    channel: input.channel,
    sizeElements: input.sizeElements,
    bytes: 4 * input.sizeElements,
    nodeSeconds: node.seconds,
    nodeParts: node.parts,
    cSeconds,
    ratio,
    reason: why.join('; '),
  };
}
