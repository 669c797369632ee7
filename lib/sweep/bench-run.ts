import { serializerOf } from '../measure/codecs';
import type { Codec } from '../measure/codecs/codec';
import {
  freshBody,
  timeClone,
  timeCloneTransfer,
  timeDecode,
  timeEncode,
  timeFileWriteRead,
  timePack,
  timeSetFresh,
  timeSetTouched,
} from '../measure/floor-ops';
import { runNativeBaseline } from '../measure/native-baseline';
import { buildPayload, type Payload, toInt32 } from '../measure/payload';
import { runTransfer } from '../measure/runner/run-transfer';
import { findTransport } from '../model/catalog';
import type { CodecName, PayloadKind } from '../model/types';
import { type BenchChannel, type ChannelRow, channelRow, NODE_CHANNEL_PARTS } from '../sweep/channel-limits';
import {
  benchCodecs,
  type FloorPart,
  type FloorRow,
  floorRecipe,
  floorRow,
  type OwnTiming,
  partsOf,
  RAW_CHANNEL_PARTS,
} from '../sweep/floors';

/**
 * The bench's loops: each transport's transfers interleaved with the single operations of its
 * floor (A, floor parts, A, floor parts, …), and each raw channel interleaved with the C program,
 * so both sides of every ratio see the same moments of a noisy machine. The arithmetic is
 * lib/sweep/floors.ts; the single operations lib/measure/floor-ops.ts.
 */
export interface BenchLoopOptions {
  sizes: readonly number[];
  repeats: number;
  transports: readonly string[];
  codecs: 'default' | 'all' | readonly string[];
  payload: PayloadKind;
  channels: readonly BenchChannel[];
  timeoutSeconds: number;
  /** Called with each row as it is done. */
  onFloorRow?: (row: FloorRow) => void;
  onChannelRow?: (row: ChannelRow) => void;
  /** Called after each round of the first table (every transport and codec once at one size). */
  onRound?: (sizeElements: number, repeat: number) => void;
}

type Samples = Partial<Record<FloorPart, number[]>>;

const push = <K extends string>(samples: Partial<Record<K, number[]>>, key: K, seconds: number | null): void => {
  if (seconds === null) return;
  const list = samples[key] ?? [];
  list.push(seconds);
  samples[key] = list;
};

const oneLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** One transfer of a raw channel carrying `bytes` bytes (rounded up to whole int32): its total, or the error. */
async function rawChannelSeconds(channel: FloorPart, bytes: number, timeoutSeconds: number): Promise<number | string> {
  const r = await runTransfer(
    { runtime: 'node', transport: channel, payload: 'int32', sizeElements: Math.max(1, Math.ceil(bytes / 4)) },
    { timeoutSeconds },
  );
  return r.ok && r.totalSeconds !== null ? r.totalSeconds : `${channel}: ${r.error}`;
}

/** The payload as int32, made once per size when a part needs it (the shared region's contents). */
class PayloadCache {
  private int32: Int32Array | null = null;
  constructor(readonly payload: Payload) {}
  asInt32(): Int32Array {
    this.int32 ??= toInt32(this.payload);
    return this.int32;
  }
}

/** What one round measured for one group of transports sharing a codec: each part once, shared by the group. */
interface Round {
  samples: Samples;
  errors: string[];
  /** The encoded size this round (null without a codec, or when encoding failed). */
  bytes: number | null;
  chunks: Uint8Array[] | null;
  done: Set<FloorPart>;
}

/** One transport and codec at one size, as the rounds fill it in. */
interface Combo {
  transport: string;
  codec: string;
  recipe: ReturnType<typeof floorRecipe>;
  totals: number[];
  ownSamples: Partial<Record<OwnTiming, number[]>>;
  errors: string[];
  refusal: string | null;
}

const attemptIn =
  (errors: string[]) =>
  <T>(part: string, step: () => T): T | null => {
    try {
      return step();
    } catch (error) {
      errors.push(`${part}: ${oneLine(error)}`);
      return null;
    }
  };

/**
 * One part of a floor, measured once in this round unless it already was (parts are shared by the
 * transports of a group: the raw Unix socket of `unix`, `ipc` and `manager` carrying the same bytes,
 * say). Encode and decode are measured by the round itself, around the group's transfers.
 */
async function measurePart(part: FloorPart, round: Round, data: PayloadCache, timeoutSeconds: number): Promise<void> {
  if (round.done.has(part) || part === 'encode' || part === 'decode') return;
  round.done.add(part);
  const { samples, errors } = round;
  const attempt = attemptIn(errors);
  const { payload } = data;
  if (RAW_CHANNEL_PARTS.includes(part)) {
    if (round.bytes === null) return;
    const result = await rawChannelSeconds(part, round.bytes, timeoutSeconds);
    if (typeof result === 'number') push(samples, part, result);
    else errors.push(result);
    return;
  }
  switch (part) {
    case 'file-write':
    case 'file-read': {
      const chunks = round.chunks;
      if (!chunks) return;
      round.done.add('file-write').add('file-read');
      const file = attempt('file', () => timeFileWriteRead(chunks));
      if (file) {
        push(samples, 'file-write', file.writeSeconds);
        push(samples, 'file-read', file.readSeconds);
      }
      return;
    }
    case 'pack':
      return push(
        samples,
        part,
        attempt(part, () => (Array.isArray(payload) ? timePack(payload) : 0)),
      );
    case 'clone':
      return push(
        samples,
        part,
        attempt(part, () => timeClone(payload)),
      );
    case 'clone-transfer':
      return push(
        samples,
        part,
        attempt(part, () => timeCloneTransfer(4 * payload.length)),
      );
    case 'set-touched':
      return push(
        samples,
        part,
        attempt(part, () => timeSetTouched(payload)),
      );
    case 'set-fresh':
      return push(
        samples,
        part,
        attempt(part, () => timeSetFresh(data.asInt32())),
      );
  }
}

/** One transfer of a combination, its total and own timings kept (or its error). */
async function runOnce(combo: Combo, kind: PayloadKind, sizeElements: number, timeoutSeconds: number): Promise<void> {
  const r = await runTransfer(
    { runtime: 'node', transport: combo.transport, payload: kind, sizeElements, codec: combo.codec as CodecName },
    { timeoutSeconds },
  );
  if (!r.ok && r.failedPhase === 'limits') {
    combo.refusal = r.error;
  } else if (r.ok && r.totalSeconds !== null) {
    combo.totals.push(r.totalSeconds);
    push(combo.ownSamples, 'encode', r.encodeSeconds);
    push(combo.ownSamples, 'send', r.sendSeconds);
    push(combo.ownSamples, 'recv', r.recvSeconds);
    push(combo.ownSamples, 'decode', r.decodeSeconds);
  } else {
    combo.errors.push(r.error);
  }
}

/**
 * One round of a codec's group: encode once, then each transport's transfer followed by the parts
 * of its floor not measured yet this round, then decode once (of a freshly allocated body holding
 * the encoded bytes). Every part thus sits between transfers, and the group shares its samples.
 */
async function runRound(
  codec: string,
  group: readonly Combo[],
  data: PayloadCache,
  sizeElements: number,
  opts: BenchLoopOptions,
  shared: { samples: Samples; errors: string[]; bytes: number | null },
): Promise<void> {
  if (group.every((combo) => combo.refusal !== null)) return;
  const round: Round = { samples: shared.samples, errors: shared.errors, bytes: null, chunks: null, done: new Set() };
  const serializer: Codec | null = serializerOf(codec);
  const attempt = attemptIn(round.errors);
  const needs = (part: FloorPart) => group.some((combo) => combo.refusal === null && partsOf(combo.recipe).includes(part));
  if (serializer) {
    const encoded = attempt('encode', () => timeEncode(serializer, data.payload));
    if (encoded) {
      if (needs('encode')) push(round.samples, 'encode', encoded.seconds);
      round.chunks = encoded.chunks;
      round.bytes = encoded.bytes;
    }
  }
  for (const combo of group) {
    if (combo.refusal !== null) continue;
    await runOnce(combo, opts.payload, sizeElements, opts.timeoutSeconds);
    for (const part of partsOf(combo.recipe)) await measurePart(part, round, data, opts.timeoutSeconds);
  }
  if (serializer && round.chunks && needs('decode')) {
    const body = freshBody(round.chunks);
    round.chunks = null;
    push(
      round.samples,
      'decode',
      attempt('decode', () => timeDecode(serializer, body, opts.payload)),
    );
  }
  // Without a codec, the bytes a transfer moves are the int32 data's (a clone's are V8's business: unknown).
  shared.bytes = round.bytes ?? (serializer ? shared.bytes : 4 * data.payload.length);
}

/**
 * The first table: every transport × codec at each size against its floor. Within a size, the
 * repeats are rounds: in each round every codec's group runs once (encode, each transport's
 * transfer and its floor's channel or copies, decode), so every row's samples, and the floor parts
 * they are compared with, come from the same minutes.
 */
export async function runFloorTable(opts: BenchLoopOptions): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  for (const sizeElements of opts.sizes) {
    const data = new PayloadCache(buildPayload(opts.payload, sizeElements));
    const groups = new Map<string, Combo[]>();
    const sizeRows: FloorRow[] = [];
    for (const transport of opts.transports) {
      const info = findTransport('node', transport);
      if (!info) throw new Error(`unknown node transport "${transport}"`);
      const { run, refused } = benchCodecs(info.codecs, opts.codecs);
      for (const { codec, reason } of refused) {
        const recipe = floorRecipe(transport, codec, opts.payload);
        sizeRows.push(floorRow({ recipe, sizeElements, bytes: null, totals: [], samples: {}, refusal: reason }));
      }
      for (const codec of run) {
        const recipe = floorRecipe(transport, codec, opts.payload);
        const refusal = serializerOf(codec)?.limit(opts.payload, sizeElements) || null;
        const combo: Combo = { transport, codec, recipe, totals: [], ownSamples: {}, errors: [], refusal };
        groups.set(codec, [...(groups.get(codec) ?? []), combo]);
      }
    }
    const shared = new Map<string, { samples: Samples; errors: string[]; bytes: number | null }>();
    for (const codec of groups.keys()) shared.set(codec, { samples: {}, errors: [], bytes: null });
    for (let repeat = 0; repeat < opts.repeats; repeat++) {
      for (const [codec, group] of groups) await runRound(codec, group, data, sizeElements, opts, shared.get(codec)!);
      opts.onRound?.(sizeElements, repeat);
    }
    for (const [codec, group] of groups) {
      const { samples, errors, bytes } = shared.get(codec)!;
      for (const combo of group) {
        const row =
          combo.refusal !== null
            ? floorRow({ recipe: combo.recipe, sizeElements, bytes: null, totals: [], samples: {}, refusal: combo.refusal })
            : floorRow({
                recipe: combo.recipe,
                sizeElements,
                bytes,
                totals: combo.totals,
                samples,
                ownSamples: combo.ownSamples,
                errors: [...combo.errors, ...errors],
              });
        sizeRows.push(row);
      }
    }
    // Rows in the order asked (transport, then codec), whatever order the rounds ran them in.
    const order = (row: FloorRow) => opts.transports.indexOf(row.transport);
    sizeRows.sort((a, b) => order(a) - order(b));
    for (const row of sizeRows) {
      rows.push(row);
      opts.onFloorRow?.(row);
    }
  }
  return rows;
}

/** The C program's time for `bytes` bytes into a fresh destination, or the error. */
async function nativeSeconds(channel: BenchChannel, bytes: number, timeoutSeconds: number): Promise<number | string> {
  try {
    const [result] = await runNativeBaseline({ channel, bytes, dest: 'fresh', repeats: 1, timeoutSeconds });
    return result.ok ? result.seconds : `C ${channel}: the bytes arrived wrong`;
  } catch (error) {
    return `C ${channel}: ${oneLine(error)}`;
  }
}

/** The second table: per channel and size, Node's raw channel and the C program, interleaved. */
export async function runChannelTable(opts: BenchLoopOptions): Promise<ChannelRow[]> {
  const rows: ChannelRow[] = [];
  for (const sizeElements of opts.sizes) {
    const payload = buildPayload('int32', sizeElements) as Int32Array;
    for (const channel of opts.channels) {
      const nodeSamples: Samples = {};
      const cSamples: number[] = [];
      const errors: string[] = [];
      for (let repeat = 0; repeat < opts.repeats; repeat++) {
        for (const part of NODE_CHANNEL_PARTS[channel]) {
          if (part === 'set-touched') push(nodeSamples, part, timeSetTouched(payload));
          else if (part === 'set-fresh') push(nodeSamples, part, timeSetFresh(payload));
          else {
            const result = await rawChannelSeconds(part, 4 * sizeElements, opts.timeoutSeconds);
            if (typeof result === 'number') push(nodeSamples, part, result);
            else errors.push(result);
          }
        }
        const c = await nativeSeconds(channel, 4 * sizeElements, opts.timeoutSeconds);
        if (typeof c === 'number') cSamples.push(c);
        else errors.push(c);
      }
      const row = channelRow({ channel, sizeElements, nodeSamples, cSamples, errors });
      rows.push(row);
      opts.onChannelRow?.(row);
    }
  }
  return rows;
}
