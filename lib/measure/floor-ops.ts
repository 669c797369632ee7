import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PayloadKind } from '../model/types';
import { nowNs, secondsBetween } from './clock';
import { type Codec, encodedLength, leadFor } from './codecs/codec';
import { serializerOf } from './codecs/index';
import { concatStillFast } from './codecs/packed';
import { collectGarbage } from './collect-garbage';
import { readFileDirect } from './direct-read';
import { buildPayload, type Payload, toInt32 } from './payload';
import { makePrivateDir } from './tempdir';
import { bodyBuffer } from './wire';

/**
 * The single operations a transfer's floor is made of (lib/sweep/floors.ts), each timed alone in
 * the calling process and returned in seconds. Each allocates its destination fresh where the
 * transfer does (the timed region includes that allocation), and uses memory already touched
 * where the transfer does (the touching is done before the clock starts). Nothing here keeps a
 * reference to what it made, so a caller can let 400 MB go as soon as it is done with it.
 */

/** The codec's encode of the payload, timed; the chunks are returned for the parts that need the bytes. */
export function timeEncode(codec: Codec, payload: Payload): { seconds: number; chunks: Uint8Array[]; bytes: number } {
  const startNs = nowNs();
  const chunks = codec.encode(payload);
  const seconds = secondsBetween(startNs, nowNs());
  return { seconds, chunks, bytes: encodedLength(chunks) };
}

/**
 * The encoded chunks as one body in a newly allocated buffer, placed as a receiver's frame reader
 * places it — at the codec's lead for the payload kind (v8's Int32Array aligned), else at the
 * buffer's 8-byte-aligned start (not timed: the copy stands for the bytes arriving).
 */
export function freshBody(chunks: readonly Uint8Array[], bodyLead?: (bodyBytes: number) => number): Uint8Array {
  const bytes = encodedLength(chunks);
  const body = bodyBuffer(bytes, bodyLead?.(bytes) ?? 0);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The codec's decode of a body, timed (whatever the codec allocates for its result is inside). */
export function timeDecode(codec: Codec, body: Uint8Array, kind: PayloadKind): number {
  const startNs = nowNs();
  const value = codec.decode(body, kind);
  const seconds = secondsBetween(startNs, nowNs());
  if ((value as Payload).length === 0 && body.byteLength > 64) throw new Error(`${codec.id} decoded ${body.byteLength} bytes into nothing`);
  return seconds;
}

/** `structuredClone(payload)` in this thread: what postMessage and the receiving take do together. */
export function timeClone(payload: Payload): number {
  const startNs = nowNs();
  const copy = structuredClone(payload);
  const seconds = secondsBetween(startNs, nowNs());
  if (copy.length !== payload.length) throw new Error('structuredClone returned a different length');
  return seconds;
}

/**
 * `structuredClone(buffer, { transfer: [buffer] })` of a buffer of `byteLength` bytes, filled
 * before the clock starts (the payload's buffer is): the buffer moves, nothing is copied.
 */
export function timeCloneTransfer(byteLength: number): number {
  const buffer = new ArrayBuffer(byteLength);
  new Uint8Array(buffer).fill(1);
  const startNs = nowNs();
  const moved = structuredClone(buffer, { transfer: [buffer] });
  const seconds = secondsBetween(startNs, nowNs());
  if (moved.byteLength !== byteLength || buffer.byteLength !== 0)
    throw new Error('structuredClone with a transfer list did not move the buffer');
  return seconds;
}

/** A list into a new Int32Array (allocation included): what a list costs before its buffer can move. */
export function timePack(list: readonly number[]): number {
  const startNs = nowNs();
  const packed = new Int32Array(list.length);
  packed.set(list);
  const seconds = secondsBetween(startNs, nowNs());
  if (packed.length !== list.length) throw new Error('pack lost elements');
  return seconds;
}

/**
 * One `TypedArray.set` of the payload (a list converts on the way) into an Int32Array whose pages
 * were touched before the clock started: the copy into a shared region that was zero-filled first.
 */
export function timeSetTouched(payload: Payload): number {
  const target = new Int32Array(payload.length);
  target.fill(-1); // every page written: no first-touch faults in the timed set
  const startNs = nowNs();
  target.set(payload);
  const seconds = secondsBetween(startNs, nowNs());
  if (payload.length > 0 && target[payload.length - 1] !== payload[payload.length - 1]) throw new Error('set did not copy');
  return seconds;
}

/**
 * One `TypedArray.set` of `source` into a newly allocated Int32Array (allocation and first-touch
 * page faults included): the receiver's copy out of a shared region.
 */
export function timeSetFresh(source: Int32Array): number {
  const startNs = nowNs();
  const copy = new Int32Array(source.length);
  copy.set(source);
  const seconds = secondsBetween(startNs, nowNs());
  if (source.length > 0 && copy[source.length - 1] !== source[source.length - 1]) throw new Error('set did not copy');
  return seconds;
}

/**
 * The encoded bytes written to a new file and read back, through the page cache, each timed: the
 * file transport's write (every chunk from its own memory, as fs.writeFileSync writes one buffer)
 * and read (into a new buffer of the file's size, as the file transport reads it). The file lives in a private 0700 dir under the
 * temp root the transfers use, removed before returning, however it returns.
 */
export function timeFileWriteRead(chunks: readonly Uint8Array[], root = os.tmpdir()): { writeSeconds: number; readSeconds: number } {
  const dir = makePrivateDir(root, 'floor');
  try {
    const file = path.join(dir, 'payload.bin');
    const bytes = encodedLength(chunks);
    const writeStartNs = nowNs();
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      for (const chunk of chunks) {
        for (let offset = 0; offset < chunk.byteLength; ) offset += fs.writeSync(fd, chunk, offset);
      }
    } finally {
      fs.closeSync(fd);
    }
    const readStartNs = nowNs();
    const body = readFileDirect(file);
    const endNs = nowNs();
    if (body.byteLength !== bytes) throw new Error(`read ${body.byteLength} bytes back, wrote ${bytes}`);
    return { writeSeconds: secondsBetween(writeStartNs, readStartNs), readSeconds: secondsBetween(readStartNs, endNs) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The single operations a plan can ask for: a codec's encode or decode, a structured clone, a
 * clone with a transfer list, packing a list, a set into touched or fresh memory, and the file
 * written and read back (one operation, two timings).
 */
export const FLOOR_OPS = ['encode', 'decode', 'clone', 'clone-transfer', 'pack', 'set-touched', 'set-fresh', 'file'] as const;
/** See {@link FLOOR_OPS}. */
export type FloorOp = (typeof FLOOR_OPS)[number];

/** One operation to run, as the loop sends it to the thread that holds the payload. */
export interface FloorOpRequest {
  type: 'op';
  op: FloorOp;
  payload: PayloadKind;
  sizeElements: number;
  /** The codec of encode, decode and file (the serializer whose bytes they handle); ignored by the others. */
  codec: string;
  /** The key of this operation (an encode's is what a later decode or file names in `bytesOf`). */
  key: string;
  /** Decode and file: the key of the encode whose bytes they take. */
  bytesOf: string | null;
}

/**
 * The answer to one request: the seconds of each timing it made (`encode`, or `file-write` and
 * `file-read`, …) and for an encode its byte count; or why it failed, in one line.
 */
export type FloorOpReply =
  | { type: 'op-done'; seconds: Record<string, number>; bytes: number | null }
  | { type: 'op-failed'; error: string };

/**
 * What a thread running floor operations keeps between them: the payload of the size it works on
 * (built once per payload kind and size, as a transfer's sender builds it before the clock), its
 * int32 form when an operation needs one, and the chunks of the latest encode until the decode
 * that takes them. A new size lets the old payload go before the new one is built.
 */
export class FloorOpSession {
  private payload: { kind: PayloadKind; sizeElements: number; data: Payload; int32: Int32Array | null } | null = null;
  private encoded: { key: string; chunks: Uint8Array[] } | null = null;

  /** Whether the payload is held between operations (not while a list's decode is measured, see there). */
  holdsPayload(): boolean {
    return this.payload !== null;
  }

  /**
   * Run one operation; never throws (a failure is the reply's one line). Each operation is made
   * ready first (its payload built, its bytes placed, what it no longer needs let go), then one
   * full collection (collect-garbage.ts), then its timing: none pays for the last one's garbage.
   */
  run(request: FloorOpRequest): FloorOpReply {
    try {
      const timed = request.op === 'decode' ? this.readyDecode(request) : this.ready(request);
      collectGarbage();
      const { seconds, bytes = null } = timed();
      return { type: 'op-done', seconds, bytes };
    } catch (error) {
      return { type: 'op-failed', error: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
    }
  }

  /** Every operation but decode, made ready: what times it. */
  private ready(request: FloorOpRequest): Timed {
    const payload = this.payloadFor(request.payload, request.sizeElements);
    switch (request.op) {
      case 'encode': {
        this.encoded = null; // the previous bytes go before the new ones are made
        const serializer = codecOf(request);
        serializer.prepare?.();
        return () => {
          const encoded = timeEncode(serializer, payload.data);
          this.encoded = { key: request.key, chunks: encoded.chunks };
          return { seconds: { encode: encoded.seconds }, bytes: encoded.bytes };
        };
      }
      case 'file': {
        const chunks = this.chunksOf(request);
        return () => {
          const file = timeFileWriteRead(chunks);
          return { seconds: { 'file-write': file.writeSeconds, 'file-read': file.readSeconds } };
        };
      }
      case 'clone':
        return () => ({ seconds: { clone: timeClone(payload.data) } });
      case 'clone-transfer':
        return () => ({ seconds: { 'clone-transfer': timeCloneTransfer(4 * payload.data.length) } });
      case 'pack':
        return () => ({ seconds: { pack: Array.isArray(payload.data) ? timePack(payload.data) : 0 } });
      case 'set-touched':
        return () => ({ seconds: { 'set-touched': timeSetTouched(payload.data) } });
      case 'set-fresh': {
        payload.int32 ??= toInt32(payload.data);
        const int32 = payload.int32;
        return () => ({ seconds: { 'set-fresh': timeSetFresh(int32) } });
      }
      default:
        return fail(`unknown floor operation ${JSON.stringify(request.op)}: valid are ${FLOOR_OPS.join(', ')}`);
    }
  }

  /**
   * A decode made ready. It needs only an earlier encode's bytes, never the payload, and is made
   * ready apart from the other operations so that nothing it times can reach the payload.
   */
  private readyDecode(request: FloorOpRequest): Timed {
    // A peer carrying packed never loads apache-arrow; a floor measured where it did would be slow.
    if (request.codec === 'packed' && !concatStillFast())
      fail(
        "packed's decode cannot be measured in this thread: apache-arrow, loaded here, made concat slow (arrow's operations need a thread of their own)",
      );
    // A freshly allocated body, as a receiver holds it; the chunks are not needed after.
    const serializer = codecOf(request);
    const body = freshBody(this.chunksOf(request), leadFor(serializer, request.payload));
    this.encoded = null;
    // A receiver holds only what it receives. A plain list kept alive here is more for every
    // garbage collection of the decode to mark: v8.deserialize of a 10^8 list took 4.0–7.1 s
    // beside the payload against 2.6–3.0 s without it (fresh processes, alternating). Let go
    // here, it is collected before the clock starts, with the encode's chunks; it is built again
    // for the next operation that needs it (not timed).
    if (request.payload === 'list') this.payload = null;
    const kind = request.payload;
    return () => ({ seconds: { decode: timeDecode(serializer, body, kind) } });
  }

  private payloadFor(kind: PayloadKind, sizeElements: number): NonNullable<FloorOpSession['payload']> {
    if (this.payload?.kind !== kind || this.payload.sizeElements !== sizeElements) {
      this.payload = null;
      this.encoded = null;
      this.payload = { kind, sizeElements, data: buildPayload(kind, sizeElements), int32: null };
    }
    return this.payload;
  }

  private chunksOf(request: FloorOpRequest): Uint8Array[] {
    if (this.encoded === null || this.encoded.key !== request.bytesOf) {
      fail(`the bytes of ${request.bytesOf ?? 'an encode'} are not held (another encode or size came between)`);
    }
    return (this.encoded as { chunks: Uint8Array[] }).chunks;
  }
}

/** An operation made ready: timing it gives its seconds (and an encode's byte count). */
type Timed = () => { seconds: Record<string, number>; bytes?: number };

/** The serializer an encode, decode or file operation names. */
function codecOf(request: FloorOpRequest): Codec {
  return serializerOf(request.codec) ?? fail(`codec ${request.codec} has no encode or decode`);
}

function fail(message: string): never {
  throw new Error(message);
}
