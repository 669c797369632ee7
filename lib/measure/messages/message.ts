import { MAX_MESSAGE_BYTES } from '../../model/sizes';
import type { PayloadKind } from '../../model/types';

/**
 * The messages of the message patterns: what message number `seq` holds for each payload kind, so
 * that every runtime (Node, the C program, CPython) sends the same bytes and every receiver can
 * check each message — its sequence number and every byte or field of its content.
 *
 * - `bytes` (B ≥ 8): uint32 LE seq at 0, uint32 LE ~seq at 4, then byte i = (i × 31 + 7) & 0xff;
 * - `int32` (B a multiple of 4, ≥ 8): element 0 = seq, element i = i;
 * - `object` (B ≥ 64): `{"seq":S,"kind":"tick","values":[0,…,k−1],"pad":"xx…"}` with k = min(16, ⌊B/64⌋)
 *   and the pad making the compact JSON text exactly B characters.
 */

/** A message as a sender builds it and a receiver holds it. */
export type Message = Uint8Array | Int32Array | MessageObject;

/** The `object` message: a small JSON-like record. */
export interface MessageObject {
  seq: number;
  kind: string;
  values: number[];
  pad: string;
}

/** The smallest message of each kind, in bytes. */
export const MIN_MESSAGE_BYTES: Readonly<Record<'bytes' | 'int32' | 'object', number>> = { bytes: 8, int32: 8, object: 64 };

/** Warm-up messages sent before the measured ones: a tenth of them, from 10 to 1000. */
export function warmupMessages(measured: number): number {
  return Math.min(1000, Math.max(10, Math.ceil(measured / 10)));
}

/** Why `kind` messages of `messageBytes` cannot be built, in one line, or null when they can. */
export function messageLimit(kind: PayloadKind, messageBytes: number): string | null {
  if (kind === 'list')
    return 'the message patterns send bytes, object or int32 messages, not the list payload (a list is the one-shot transfer)';
  if (!Number.isSafeInteger(messageBytes) || messageBytes < MIN_MESSAGE_BYTES[kind] || messageBytes > MAX_MESSAGE_BYTES) {
    return `${kind} messages of ${messageBytes} bytes cannot be built: ${kind} messages are ${MIN_MESSAGE_BYTES[kind]} to ${MAX_MESSAGE_BYTES} bytes`;
  }
  if (kind === 'int32' && messageBytes % 4 !== 0)
    return `int32 messages of ${messageBytes} bytes cannot be built: an int32 message is a multiple of 4 bytes`;
  return null;
}

/** Builds message after message of one kind and size, from templates made once. */
export class MessageMaker {
  private readonly template: Uint8Array;
  /** `object`: the pad for each count of seq digits (1…16). */
  private readonly pads: string[] = [];
  private readonly values: number[];

  constructor(
    readonly kind: 'bytes' | 'int32' | 'object',
    readonly messageBytes: number,
  ) {
    const reason = messageLimit(kind, messageBytes);
    if (reason) throw new Error(reason);
    this.template = new Uint8Array(kind === 'object' ? 0 : messageBytes);
    if (kind === 'bytes') for (let i = 8; i < messageBytes; i++) this.template[i] = (i * 31 + 7) & 0xff;
    if (kind === 'int32') {
      const elements = new Int32Array(this.template.buffer);
      for (let i = 1; i < elements.length; i++) elements[i] = i;
    }
    this.values = Array.from({ length: Math.min(16, Math.floor(messageBytes / 64)) }, (_, i) => i);
    if (kind === 'object') {
      const bare = JSON.stringify({ seq: 0, kind: 'tick', values: this.values, pad: '' }).length - 1; // without seq's digit
      for (let digits = 1; digits <= 16; digits++) this.pads[digits] = 'x'.repeat(Math.max(0, messageBytes - bare - digits));
    }
  }

  /**
   * Message number `seq`, in memory no other message uses, so a stream can keep it while the
   * kernel takes it. By default in an ArrayBuffer of its own, which a transfer list can move and a
   * structured clone copies alone; `pooled`: cut from Node's Buffer pool (a 1 KiB message then
   * costs a third of a fresh ArrayBuffer), for a channel that sends only the message's own bytes.
   */
  make(seq: number, pooled = false): Message {
    if (this.kind === 'object') return { seq, kind: 'tick', values: this.values.slice(), pad: this.pads[String(seq).length] };
    const bytes = pooled ? Buffer.allocUnsafe(this.messageBytes) : new Uint8Array(this.messageBytes);
    bytes.set(this.template);
    if (this.kind === 'int32') {
      // The pool hands out 8-byte aligned slices: an Int32Array can view one in place.
      const elements = new Int32Array(bytes.buffer, bytes.byteOffset, this.messageBytes >> 2);
      elements[0] = seq;
      return elements;
    }
    const words = new DataView(bytes.buffer, bytes.byteOffset, 8);
    words.setUint32(0, seq >>> 0, true);
    words.setUint32(4, ~seq >>> 0, true);
    return bytes;
  }

  /** Change one byte or field of a built message, as the `corrupt` fault does. */
  corrupt(message: Message): void {
    if (message instanceof Uint8Array) message[message.length - 1] ^= 0xff;
    else if (message instanceof Int32Array) message[message.length - 1] = -1;
    else message.values.push(-1);
  }

  /** Null when `value` is message number `seq`, intact; otherwise one line saying what is wrong. */
  verify(value: unknown, seq: number): string | null {
    if (this.kind === 'object') return this.verifyObject(value, seq);
    const want = this.kind === 'int32' ? Int32Array : Uint8Array;
    if (!(value instanceof want))
      return `message ${seq} arrived as ${describe(value)}, not ${this.kind === 'int32' ? 'an Int32Array' : 'bytes'}`;
    if (value.byteLength !== this.messageBytes) return `message ${seq} has ${value.byteLength} bytes, expected ${this.messageBytes}`;
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const word = (at: number) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24); // little-endian int32
    const got = this.kind === 'int32' ? word(0) : word(0) >>> 0;
    if (got !== seq) return `message ${seq} carries sequence number ${got}: a message was lost, repeated or reordered`;
    if (this.kind === 'bytes' && word(4) >>> 0 !== ~seq >>> 0) return `message ${seq}: its bytes 4–7 are corrupted`;
    // Everything after the sequence number is the template: one comparison of the bytes (memcmp),
    // of ranges of both, so that checking a message builds no further view of it.
    const from = this.kind === 'int32' ? 4 : 8;
    if (Buffer.prototype.compare.call(bytes, this.template, from, this.messageBytes, from, this.messageBytes) !== 0) {
      return `message ${seq}: its content differs from what was sent (bytes ${from}–${this.messageBytes - 1})`;
    }
    return null;
  }

  private verifyObject(value: unknown, seq: number): string | null {
    if (value === null || typeof value !== 'object') return `message ${seq} arrived as ${describe(value)}, not an object`;
    const o = value as MessageObject;
    if (o.seq !== seq) return `message ${seq} carries sequence number ${String(o.seq)}: a message was lost, repeated or reordered`;
    const intact =
      Object.keys(o).length === 4 &&
      o.kind === 'tick' &&
      Array.isArray(o.values) &&
      o.values.length === this.values.length &&
      o.values.every((v, i) => v === i) &&
      o.pad === this.pads[String(seq).length];
    return intact ? null : `message ${seq}: its fields differ from what was sent`;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return `an object (${(value as object).constructor?.name ?? 'no constructor'})`;
}
