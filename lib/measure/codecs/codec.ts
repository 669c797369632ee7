/**
 * A codec turns a payload into the bytes a channel carries and back: the serializer as a dimension
 * of every transfer, measured apart from the channel. One file per codec behind this interface;
 * the registry is codecs/index.ts.
 */
import type { CodecId, PayloadKind } from '../../model/types';
import type { Ack } from '../messages/endpoint';
import type { Message } from '../messages/message';
import type { Payload } from '../payload';
import type { ReadWay } from '../wire';

/** What a codec carries: a transfer's payload or one message of a message pattern. */
export type Carried = Payload | Message | Ack;

export { CODEC_IDS } from '../../model/types';
export type { CodecId };

export interface Codec {
  readonly id: CodecId;
  /** One line for tables and --help: what the codec does. */
  readonly description: string;
  /**
   * Why this codec cannot carry `sizeElements` elements of `kind`, in one line naming the codec,
   * or null when it can. Checked before anything runs (milliseconds, not minutes). For a message
   * kind (`bytes`, `object`), `sizeElements` is the message's bytes ÷ 4.
   */
  limit(kind: PayloadKind, sizeElements: number): string | null;
  /** An upper bound of the encoded bytes, for checking free space and memory before a transfer. */
  bytesBound(kind: PayloadKind, sizeElements: number): number;
  /**
   * The bytes to send, as chunks written in order: one chunk where the codec builds a new buffer,
   * several where it can send parts of the payload's own memory without copying them (raw).
   */
  encode(data: Carried): Uint8Array[];
  /**
   * The payload from one complete body as it arrived. `kind` is the payload kind the sender sent;
   * the result is that kind (a plain array for `list`, an Int32Array for `int32`, a Uint8Array for
   * `bytes`, a plain object for `object`). Throws a one-line
   * error naming the codec when the body is not what it wrote (a bad header, a truncated body).
   */
  decode(body: Uint8Array, kind: PayloadKind): Carried;
  /**
   * The bytes a receiver leaves free before a body of `bodyBytes` bytes of `kind` in the buffer it
   * reads the body into, so that `decode` finds the data it can view in place aligned for its
   * elements. Optional: without it a body starts its buffer (8-byte aligned), which suits every
   * codec whose data follows a header of a fixed length; v8's header grows with the body.
   */
  bodyLead?(kind: PayloadKind, bodyBytes: number): number;
  /**
   * Load what the codec needs (a library, a reusable encoder) before the clock starts, so the
   * first transfer's encode or decode does not pay for loading a module. Optional: most need nothing.
   */
  prepare?(): void;
}

/** A receiver's `bodyLead` (wire.ts's FrameReaderOptions) for `codec` carrying `kind`: undefined when the codec asks for none. */
export function leadFor(codec: Codec, kind: PayloadKind): ((bodyBytes: number) => number) | undefined {
  const bodyLead = codec.bodyLead;
  return bodyLead ? (bodyBytes) => bodyLead.call(codec, kind, bodyBytes) : undefined;
}

/** The total length of a codec's chunks. */
export function encodedLength(chunks: readonly Uint8Array[]): number {
  let bytes = 0;
  for (const chunk of chunks) bytes += chunk.byteLength;
  return bytes;
}

/** Throws the codec's one-line error when a decoded value is not of the kind that was sent. */
export function checkDecoded(codec: CodecId, value: unknown, kind: PayloadKind): Carried {
  const fits =
    kind === 'list'
      ? Array.isArray(value)
      : kind === 'int32'
        ? value instanceof Int32Array
        : kind === 'bytes'
          ? value instanceof Uint8Array
          : value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
  if (!fits) {
    const shown = Array.isArray(value) ? 'a plain array' : value === null ? 'null' : ((value as object)?.constructor?.name ?? typeof value);
    throw new CodecError(codec, `the body holds ${shown}, not the ${kind} payload that was sent`);
  }
  return value as Carried;
}

/** A one-line error of a codec whose input is not what it expects. */
export class CodecError extends Error {
  constructor(codec: CodecId, message: string) {
    super(`${codec} codec: ${message}`);
    this.name = 'CodecError';
  }
}

/** Node's largest Buffer (buffer.constants.MAX_LENGTH: 2^32 bytes on Node 20): one frame's limit. */
export const MAX_BUFFER_BYTES = require('node:buffer').constants.MAX_LENGTH as number;

/** The refusal of an encoded size beyond one Buffer, or null when it fits. */
export function bufferLimit(codec: CodecId, kind: PayloadKind, sizeElements: number, bytes: number): string | null {
  return bytes > MAX_BUFFER_BYTES
    ? `${codec} codec: ${sizeElements} ${kind} elements may need ${bytes} bytes, beyond Node's largest Buffer (${MAX_BUFFER_BYTES} bytes, 4 GiB)`
    : null;
}

/**
 * The passes over the payload a codec adds to a byte channel's own copies: none where raw or arrow
 * write an Int32Array's own memory and hand the receiver a view of the body, one for a list packed
 * into int32 (arrow, packed) or unpacked from it. A serializer's copies (v8, json, msgpackr) are its
 * own affair: undefined, a null in the record.
 */
function codecPasses(codec: CodecId, kind: PayloadKind): number | undefined {
  if (kind === 'int32' && (codec === 'raw' || codec === 'arrow')) return 0;
  if (kind === 'list' && (codec === 'arrow' || codec === 'packed')) return 1;
  return undefined;
}

/** The whole copies of a transfer's payload a Node byte channel makes on the sender's side: its write into the kernel, plus the codec's pass. */
export function senderCopies(codec: CodecId, kind: PayloadKind): number | undefined {
  const passes = codecPasses(codec, kind);
  return passes === undefined ? undefined : 1 + passes;
}

/**
 * The same on the receiver's side: the read out of the kernel — straight into the frame's buffer
 * (`direct`), or into libuv's 64 KiB chunks and from them into the frame's buffer (`chunked`, one
 * copy more) — plus the codec's pass.
 */
export function receiverCopies(codec: CodecId, kind: PayloadKind, way: ReadWay): number | undefined {
  const passes = codecPasses(codec, kind);
  return passes === undefined ? undefined : (way === 'direct' ? 1 : 2) + passes;
}
