import type { PayloadKind } from '../../model/types';
import { bufferLimit, type Carried, type Codec, CodecError, type CodecId } from './codec';

/**
 * The raw frame: a 16-byte header, then the elements' own bytes. Both peers run on one machine,
 * so the elements travel in its byte order (little-endian on x86 and ARM Linux) without swapping.
 *   bytes 0–3   magic "IPCR"
 *   bytes 4–7   kind: 1 = an Int32Array, 2 = a plain list packed as int32 (see packed.ts)
 *   bytes 8–15  element count, unsigned 64-bit
 * 16 is a multiple of 8, so the elements start aligned wherever the body itself is.
 */
export const RAW_HEADER_BYTES = 16;
const MAGIC = 0x52435049; // "IPCR" read as a little-endian uint32
export const RAW_KIND = { int32: 1, packedList: 2, bytes: 3 } as const;

/** The header for `count` int32 elements of `kindCode`. */
export function rawHeader(kindCode: number, count: number): Uint8Array {
  const header = Buffer.allocUnsafe(RAW_HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(kindCode, 4);
  // Two 32-bit halves: no BigInt per message (many small messages each carry this header).
  header.writeUInt32LE(count % 2 ** 32, 8);
  header.writeUInt32LE(Math.floor(count / 2 ** 32), 12);
  return header;
}

/** The elements as a view of the body's own memory: no copy when the body is 4-byte aligned. */
export function rawElements(codec: CodecId, body: Uint8Array, kindCode: number): Int32Array {
  if (body.byteLength < RAW_HEADER_BYTES) {
    throw new CodecError(codec, `the body has ${body.byteLength} bytes, fewer than the ${RAW_HEADER_BYTES}-byte header`);
  }
  const view = new DataView(body.buffer, body.byteOffset, RAW_HEADER_BYTES);
  const magic = view.getUint32(0, true);
  if (magic !== MAGIC) throw new CodecError(codec, `the header starts with 0x${magic.toString(16)}, not the "IPCR" magic`);
  const kind = view.getUint32(4, true);
  if (kind !== kindCode) throw new CodecError(codec, `the header says kind ${kind}, expected ${kindCode}`);
  const count = view.getUint32(8, true) + view.getUint32(12, true) * 2 ** 32;
  const bodyBytes = body.byteLength - RAW_HEADER_BYTES;
  if (bodyBytes !== count * 4) {
    throw new CodecError(codec, `the header announces ${count} elements (${count * 4} bytes) but ${bodyBytes} bytes follow it`);
  }
  const start = body.byteOffset + RAW_HEADER_BYTES;
  // A large body is its own allocation (offset 0); only a small Buffer cut from Node's shared pool
  // can sit at an odd offset, and then a copy of a few bytes is the price of alignment.
  if (start % 4 === 0) return new Int32Array(body.buffer, start, count);
  return new Int32Array(body.slice(RAW_HEADER_BYTES).buffer, 0, count);
}

/**
 * raw — typed arrays only: the header, then the array's own bytes, written from the array's
 * memory with no serialize copy; at the receiver the frame is read into one buffer of the final
 * size and handed over as an Int32Array view of it, with no decode copy. What a
 * performance-minded Node program sends.
 */
export const rawCodec: Codec = {
  id: 'raw',
  description: "typed arrays only: a 16-byte header and the array's own bytes; the receiver gets a view, no copy",
  limit: (kind: PayloadKind, sizeElements: number) =>
    kind === 'int32' || kind === 'bytes'
      ? bufferLimit('raw', kind, sizeElements, RAW_HEADER_BYTES + 4 * sizeElements)
      : kind === 'object'
        ? 'raw codec: carries typed arrays and bytes only, not an object: use v8, json or msgpackr'
        : 'raw codec: carries typed arrays only, not a plain list: use packed (packs the list into int32 bytes), v8 or msgpackr',
  bytesBound: (_kind: PayloadKind, sizeElements: number) => RAW_HEADER_BYTES + 4 * sizeElements,
  encode(data: Carried) {
    const kind = data instanceof Int32Array ? RAW_KIND.int32 : data instanceof Uint8Array ? RAW_KIND.bytes : null;
    if (kind === null) throw new CodecError('raw', 'carries typed arrays and bytes only, not a plain list or an object');
    const view = data as Int32Array | Uint8Array;
    return [rawHeader(kind, view.length), new Uint8Array(view.buffer, view.byteOffset, view.byteLength)];
  },
  decode: (body: Uint8Array, kind: PayloadKind) => (kind === 'bytes' ? rawBytes(body) : rawElements('raw', body, RAW_KIND.int32)),
};

/** The bytes of a raw `bytes` body: a view after the header, no copy. */
function rawBytes(body: Uint8Array): Uint8Array {
  const elements = body.byteLength >= RAW_HEADER_BYTES ? new DataView(body.buffer, body.byteOffset, RAW_HEADER_BYTES) : null;
  if (!elements || elements.getUint32(4, true) !== RAW_KIND.bytes) {
    throw new CodecError('raw', `the body of ${body.byteLength} bytes has no raw bytes header`);
  }
  const count = elements.getUint32(8, true) + elements.getUint32(12, true) * 2 ** 32;
  if (body.byteLength - RAW_HEADER_BYTES !== count) {
    throw new CodecError('raw', `the header announces ${count} bytes but ${body.byteLength - RAW_HEADER_BYTES} follow it`);
  }
  return body.subarray(RAW_HEADER_BYTES);
}
