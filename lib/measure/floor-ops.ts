import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PayloadKind } from '../model/types';
import { nowNs, secondsBetween } from './clock';
import { type Codec, encodedLength } from './codecs/codec';
import type { Payload } from './payload';
import { makePrivateDir } from './tempdir';

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
 * The encoded chunks as one body in a newly allocated buffer, as a receiver's frame reader holds
 * them (not timed: the copy stands for the bytes arriving). Its start is 8-byte aligned.
 */
export function freshBody(chunks: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.allocUnsafeSlow(encodedLength(chunks));
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
 * and read (fs.readFileSync, into a new buffer). The file lives in a private 0700 dir under the
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
    const body = fs.readFileSync(file);
    const endNs = nowNs();
    if (body.byteLength !== bytes) throw new Error(`read ${body.byteLength} bytes back, wrote ${bytes}`);
    return { writeSeconds: secondsBetween(writeStartNs, readStartNs), readSeconds: secondsBetween(readStartNs, endNs) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
