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

/** Every part of a floor, measured once, in the order the data flows: encode, channel, file, decode, copies. */
async function measureFloorOnce(
  parts: readonly FloorPart[],
  codec: Codec | null,
  data: PayloadCache,
  kind: PayloadKind,
  samples: Samples,
  errors: string[],
  timeoutSeconds: number,
): Promise<number | null> {
  const { payload } = data;
  const attempt = <T>(part: string, step: () => T): T | null => {
    try {
      return step();
    } catch (error) {
      errors.push(`${part}: ${oneLine(error)}`);
      return null;
    }
  };
  let bytes: number | null = null;
  let chunks: Uint8Array[] | null = null;
  if (codec) {
    const encoded = attempt('encode', () => timeEncode(codec, payload));
    if (encoded) {
      if (parts.includes('encode')) push(samples, 'encode', encoded.seconds);
      ({ chunks, bytes } = encoded);
    }
  }
  for (const part of parts) {
    if (RAW_CHANNEL_PARTS.includes(part) && bytes !== null) {
      const result = await rawChannelSeconds(part, bytes, timeoutSeconds);
      if (typeof result === 'number') push(samples, part, result);
      else errors.push(result);
    }
  }
  if (parts.includes('file-write') && chunks) {
    const file = attempt('file', () => timeFileWriteRead(chunks as Uint8Array[]));
    if (file) {
      push(samples, 'file-write', file.writeSeconds);
      push(samples, 'file-read', file.readSeconds);
    }
  }
  if (parts.includes('decode') && chunks && codec) {
    const body = freshBody(chunks);
    chunks = null;
    push(
      samples,
      'decode',
      attempt('decode', () => timeDecode(codec, body, kind)),
    );
  }
  if (parts.includes('pack'))
    push(
      samples,
      'pack',
      attempt('pack', () => (Array.isArray(payload) ? timePack(payload) : 0)),
    );
  if (parts.includes('clone'))
    push(
      samples,
      'clone',
      attempt('clone', () => timeClone(payload)),
    );
  if (parts.includes('clone-transfer'))
    push(
      samples,
      'clone-transfer',
      attempt('clone-transfer', () => timeCloneTransfer(4 * payload.length)),
    );
  if (parts.includes('set-touched'))
    push(
      samples,
      'set-touched',
      attempt('set-touched', () => timeSetTouched(payload)),
    );
  if (parts.includes('set-fresh'))
    push(
      samples,
      'set-fresh',
      attempt('set-fresh', () => timeSetFresh(data.asInt32())),
    );
  // Without a codec, the bytes a transfer moves are the int32 data's (a clone's are V8's business: unknown).
  return bytes ?? (codec || parts.includes('clone') ? null : 4 * payload.length);
}

/** One transport and codec at one size: `repeats` × (the transfer, then every part of its floor). */
async function benchTransport(
  transport: string,
  codec: string,
  data: PayloadCache,
  sizeElements: number,
  opts: BenchLoopOptions,
): Promise<FloorRow> {
  const kind = opts.payload;
  const recipe = floorRecipe(transport, codec, kind);
  const serializer = serializerOf(codec);
  const refusal = serializer?.limit(kind, sizeElements);
  if (refusal) return floorRow({ recipe, sizeElements, bytes: null, totals: [], samples: {}, refusal });
  const totals: number[] = [];
  const samples: Samples = {};
  const ownSamples: Partial<Record<OwnTiming, number[]>> = {};
  const errors: string[] = [];
  let bytes: number | null = null;
  for (let repeat = 0; repeat < opts.repeats; repeat++) {
    const r = await runTransfer(
      { runtime: 'node', transport, payload: kind, sizeElements, codec: codec as CodecName },
      { timeoutSeconds: opts.timeoutSeconds },
    );
    if (!r.ok && r.failedPhase === 'limits')
      return floorRow({ recipe, sizeElements, bytes: null, totals: [], samples: {}, refusal: r.error });
    if (r.ok && r.totalSeconds !== null) {
      totals.push(r.totalSeconds);
      push(ownSamples, 'encode', r.encodeSeconds);
      push(ownSamples, 'send', r.sendSeconds);
      push(ownSamples, 'recv', r.recvSeconds);
      push(ownSamples, 'decode', r.decodeSeconds);
    } else {
      errors.push(r.error);
    }
    bytes = (await measureFloorOnce(partsOf(recipe), serializer, data, kind, samples, errors, opts.timeoutSeconds)) ?? bytes;
  }
  return floorRow({ recipe, sizeElements, bytes, totals, samples, ownSamples, errors });
}

/** The first table: every transport × codec × size against its floor. */
export async function runFloorTable(opts: BenchLoopOptions): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  for (const sizeElements of opts.sizes) {
    const data = new PayloadCache(buildPayload(opts.payload, sizeElements));
    for (const transport of opts.transports) {
      const info = findTransport('node', transport);
      if (!info) throw new Error(`unknown node transport "${transport}"`);
      const { run, refused } = benchCodecs(info.codecs, opts.codecs);
      for (const { codec, reason } of refused) {
        const row = floorRow({
          recipe: floorRecipe(transport, codec, opts.payload),
          sizeElements,
          bytes: null,
          totals: [],
          samples: {},
          refusal: reason,
        });
        rows.push(row);
        opts.onFloorRow?.(row);
      }
      for (const codec of run) {
        const row = await benchTransport(transport, codec, data, sizeElements, opts);
        rows.push(row);
        opts.onFloorRow?.(row);
      }
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
