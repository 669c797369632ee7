/**
 * The floor bench as a plan (steps.ts), built by one pure function: each transport's transfers
 * interleaved with the single operations of its floor, and each raw channel interleaved with the C
 * program, so both sides of every ratio see the same moments of a noisy machine. The rows are
 * computed from the results afterwards (bench-tables.ts); the arithmetic is floors.ts.
 */
import { serializerOf } from '../measure/codecs/index';
import type { FloorOp } from '../measure/floor-ops';
import { findTransport } from '../model/catalog';
import type { CodecName, PayloadKind } from '../model/types';
import { UsageError } from '../model/usage-error';
import type { BenchRunConfig } from './bench-results';
import { NODE_CHANNEL_PARTS, NODE_CHUNKED_CHANNEL } from './channel-limits';
import { type FloorRecipe, floorRecipe, partsOf, RAW_CHANNEL_PARTS } from './floors';
import { type FloorOpStep, type Step, stepKey, type TransferStep } from './steps';

/** The transports whose bytes go through a codec of the caller's choice (they take `raw`): pipe, tcp, unix, file, manager. */
export function carriesBytes(transportCodecs: readonly string[]): boolean {
  return transportCodecs.includes('raw');
}

/** The bench's default codecs for a byte-carrying transport: the analog and the one with no serializer copy. */
export const DEFAULT_BYTE_CODECS: readonly string[] = ['v8', 'raw'];

/** The sizes `npm run bench` measures unless told (10^7 and 10^8 elements): where its issue-20 targets are judged. */
export const BENCH_DEFAULT_SIZES: readonly number[] = [1e7, 1e8];

/**
 * The codecs the bench runs a transport with, and those it cannot take (each a row saying why):
 * - `default`: v8 and raw for a byte-carrying transport, the only codec of any other;
 * - `all`: every codec the catalog lists for it;
 * - a list: the codecs of the list it takes; one it takes none of gets a refusal row for each.
 */
export function benchCodecs(
  transportCodecs: readonly string[],
  requested: 'default' | 'all' | readonly string[],
): { run: string[]; refused: { codec: string; reason: string }[] } {
  if (requested === 'default') {
    return {
      run: carriesBytes(transportCodecs) ? DEFAULT_BYTE_CODECS.filter((c) => transportCodecs.includes(c)) : [transportCodecs[0]],
      refused: [],
    };
  }
  if (requested === 'all') return { run: [...transportCodecs], refused: [] };
  const run = requested.filter((codec) => transportCodecs.includes(codec));
  if (run.length > 0) return { run, refused: [] };
  return { run: [], refused: requested.map((codec) => ({ codec, reason: `takes ${transportCodecs.join(', ')}, not ${codec}` })) };
}

/** One transport and codec at one size: its floor's recipe, and why it is not run when it is not. */
export interface BenchCombo {
  transport: string;
  codec: string;
  recipe: FloorRecipe;
  /** A codec the transport does not take, or one that cannot carry the payload at this size: the row's reason. */
  refusal: string | null;
}

/** One payload at one size: its combinations in the order rows are shown, and grouped by codec in the order rounds run them. */
export interface BenchBlock {
  payload: PayloadKind;
  sizeElements: number;
  /** Transport by transport as asked, each transport's codecs in group order. */
  combos: BenchCombo[];
  /** Codec → its combinations; a group shares one encode, decode and each floor part per round. */
  groups: Map<string, BenchCombo[]>;
}

/** The first table's blocks: payload by payload, size by size. Throws a UsageError for a transport the bench does not know. */
export function benchBlocks(config: BenchRunConfig): BenchBlock[] {
  const blocks: BenchBlock[] = [];
  for (const payload of config.payloads) {
    for (const sizeElements of new Set(config.sizes)) {
      const groups = new Map<string, BenchCombo[]>();
      const refused: BenchCombo[] = [];
      for (const transport of config.transports) {
        const info = findTransport('node', transport);
        if (!info) throw new UsageError(`unknown node transport "${transport}"`);
        const { run, refused: notTaken } = benchCodecs(info.codecs, config.codecs);
        for (const { codec, reason } of notTaken)
          refused.push({ transport, codec, recipe: floorRecipe(transport, codec, payload), refusal: reason });
        for (const codec of run) {
          const refusal = serializerOf(codec)?.limit(payload, sizeElements) || null;
          const combo = { transport, codec, recipe: floorRecipe(transport, codec, payload), refusal };
          groups.set(codec, [...(groups.get(codec) ?? []), combo]);
        }
      }
      const grouped = [...groups.values()].flat();
      const combos = config.transports.flatMap((t) => [...refused, ...grouped].filter((c) => c.transport === t));
      blocks.push({ payload, sizeElements, combos, groups });
    }
  }
  return blocks;
}

/**
 * One round of a codec's group: encode once, then each transport's transfer followed by the parts
 * of its floor not measured yet this round, then decode once (of a freshly allocated body holding
 * the encoded bytes). Every part thus sits between transfers, and the group shares its samples.
 */
function groupRound(block: BenchBlock, codec: string, group: readonly BenchCombo[], round: number): Step[] {
  const running = group.filter((combo) => combo.refusal === null);
  if (running.length === 0) return [];
  const { payload, sizeElements } = block;
  const op = (name: FloorOp, bytesOf?: string): FloorOpStep => ({
    kind: 'floor-op',
    op: name,
    payload,
    sizeElements,
    codec,
    round,
    table: 'floor',
    ...(bytesOf ? { bytesOf } : {}),
  });
  const steps: Step[] = [];
  // Without a serializer there are no bytes: no encode, decode, raw channel or file.
  const encode = serializerOf(codec) ? op('encode') : null;
  const encodeKey = encode ? stepKey(encode) : undefined;
  if (encode) steps.push(encode);
  const done = new Set<string>(['encode', 'decode']);
  for (const combo of running) {
    const spec = { runtime: 'node' as const, transport: combo.transport, payload, sizeElements, codec: codec as CodecName };
    steps.push({ kind: 'transfer', spec, round, warmup: false });
    for (const part of partsOf(combo.recipe)) {
      if (done.has(part)) continue;
      done.add(part);
      if (RAW_CHANNEL_PARTS.includes(part)) {
        if (encodeKey) steps.push(rawChannel(part, 'int32', sizeElements, round, encodeKey));
      } else if (part === 'file-write' || part === 'file-read') {
        done.add('file-write').add('file-read');
        if (encodeKey) steps.push(op('file', encodeKey));
      } else {
        steps.push(op(part as FloorOp)); // clone, clone-transfer, pack, set-touched, set-fresh
      }
    }
  }
  if (encodeKey && running.some((combo) => partsOf(combo.recipe).includes('decode'))) steps.push(op('decode', encodeKey));
  return steps;
}

/** One transfer of a raw channel (a hidden raw-* transport): of `sizeElements` int32, or of an encode's bytes. */
function rawChannel(part: string, payload: PayloadKind, sizeElements: number, round: number, bytesOf?: string): TransferStep {
  const step: TransferStep = { kind: 'transfer', spec: { runtime: 'node', transport: part, payload, sizeElements }, round, warmup: false };
  return bytesOf ? { ...step, bytesOf } : step;
}

/**
 * The whole bench as steps, in the order they run. The first table: within a size, the repeats are
 * rounds, and in each round every codec's group runs once (see groupRound), so every row's samples
 * and the floor parts they are compared with come from the same minutes. The second table: per
 * size and channel, round by round, Node's raw channel read directly (or its two sets, for shm), the
 * same channel read chunked, then the C program.
 */
export function benchSteps(config: BenchRunConfig): Step[] {
  const steps: Step[] = [];
  for (const block of benchBlocks(config)) {
    for (let round = 0; round < config.repeats; round++) {
      for (const [codec, group] of block.groups) steps.push(...groupRound(block, codec, group, round));
    }
  }
  for (const sizeElements of new Set(config.sizes)) {
    for (const channel of channelsOf(config)) {
      for (let round = 0; round < config.repeats; round++) {
        for (const part of NODE_CHANNEL_PARTS[channel]) {
          if (part === 'set-touched' || part === 'set-fresh') {
            steps.push({ kind: 'floor-op', op: part, payload: 'int32', sizeElements, codec: 'none', round, table: 'channel' });
          } else {
            steps.push(rawChannel(part, 'int32', sizeElements, round));
          }
        }
        const chunked = NODE_CHUNKED_CHANNEL[channel];
        if (chunked) steps.push(rawChannel(chunked, 'int32', sizeElements, round));
        steps.push({ kind: 'c-channel', channel, bytes: 4 * sizeElements, round });
      }
    }
  }
  return steps;
}

/** The second table's channels, each once. */
export function channelsOf(config: BenchRunConfig): (keyof typeof NODE_CHANNEL_PARTS)[] {
  return [...new Set(config.channels)] as (keyof typeof NODE_CHANNEL_PARTS)[];
}
