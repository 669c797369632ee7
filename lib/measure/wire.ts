import type { Duplex, Readable, Writable } from 'node:stream';
import { nowNs } from './clock';

/**
 * Length-prefixed frames over a byte stream (pipe, TCP, Unix socket): an 8-byte little-endian
 * length, then that many bytes. A stream has no message boundaries of its own, and knowing the
 * length up front lets the receiver allocate the whole buffer once instead of concatenating.
 */
export const FRAME_HEADER_BYTES = 8;

/**
 * Write one frame whose body is one buffer or several chunks written in order (a codec that sends
 * an array's own memory gives a header and the array: no copy joins them); resolves when the
 * stream has handed the last byte to the kernel.
 */
export function writeFrame(stream: Writable, body: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const chunks = body instanceof Uint8Array ? [body] : body;
  let bodyBytes = 0;
  for (const chunk of chunks) bodyBytes += chunk.byteLength;
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeBigUInt64LE(BigInt(bodyBytes));
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once('error', onError);
    stream.write(header);
    for (const chunk of chunks.slice(0, -1)) stream.write(chunk);
    stream.write(chunks.length > 0 ? chunks[chunks.length - 1] : Buffer.alloc(0), (error) => {
      stream.off('error', onError);
      if (error) reject(error);
      else resolve();
    });
  });
}

/** A frame as it arrived, with when its first and last bytes did. */
export interface ReceivedFrame {
  body: Buffer;
  firstByteNs: bigint;
  lastByteNs: bigint;
}

/**
 * Reads frames off a stream one after another. `next()` resolves with the next whole frame, or
 * rejects when the stream ends or fails before a frame is complete (a peer that died mid-transfer).
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private body: Buffer | null = null;
  private filled = 0;
  private firstByteNs: bigint | null = null;
  private done: ReceivedFrame[] = [];
  private waiter: { resolve: (frame: ReceivedFrame) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  /**
   * `onFrame`: hand each whole frame to this callback as it completes, instead of queueing it for
   * `next()` (many small messages: no promise per frame); failures then go to `onFailure`.
   */
  constructor(
    private readonly stream: Readable | Duplex,
    private readonly maxFrameBytes = 2 ** 32,
    private readonly onFrame: ((body: Buffer) => void) | null = null,
    private readonly onFailure: ((error: Error) => void) | null = null,
  ) {
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('end', () => this.fail(new Error(this.describeEnd('the peer closed the stream'))));
    stream.on('error', (error: Error) => this.fail(error));
  }

  next(): Promise<ReceivedFrame> {
    const frame = this.done.shift();
    if (frame) return Promise.resolve(frame);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private describeEnd(what: string): string {
    if (this.body) return `${what} after ${this.filled} of ${this.body.length} bytes of a frame`;
    if (this.pendingBytes > 0) return `${what} inside a frame header`;
    return `${what} before a frame arrived`;
  }

  private onData(chunk: Buffer): void {
    // Callback mode (many small messages) reports no arrival times: no clock read per chunk.
    if (this.firstByteNs === null && !this.onFrame) this.firstByteNs = nowNs();
    let offset = 0;
    while (offset < chunk.length) {
      if (this.body === null) {
        let length: number;
        if (this.pendingBytes === 0 && chunk.length - offset >= FRAME_HEADER_BYTES) {
          // The usual case for small messages: a whole header in this chunk, read in place.
          length = chunk.readUInt32LE(offset) + chunk.readUInt32LE(offset + 4) * 2 ** 32;
          offset += FRAME_HEADER_BYTES;
        } else {
          // Gather the 8 header bytes, which may be split across chunks.
          const take = Math.min(FRAME_HEADER_BYTES - this.pendingBytes, chunk.length - offset);
          this.pending.push(chunk.subarray(offset, offset + take));
          this.pendingBytes += take;
          offset += take;
          if (this.pendingBytes < FRAME_HEADER_BYTES) return;
          length = Number(Buffer.concat(this.pending).readBigUInt64LE(0));
          this.pending = [];
          this.pendingBytes = 0;
        }
        if (length > this.maxFrameBytes) {
          this.fail(new Error(`frame of ${length} bytes is larger than the ${this.maxFrameBytes} allowed: corrupt stream?`));
          this.stream.destroy();
          return;
        }
        if (length <= chunk.length - offset) {
          // The whole body is in this chunk (many small messages): hand out a view, no copy.
          this.body = chunk.subarray(offset, offset + length);
          offset += length;
          this.complete();
          continue;
        }
        this.body = Buffer.allocUnsafe(length);
        this.filled = 0;
      }
      const take = Math.min(this.body.length - this.filled, chunk.length - offset);
      chunk.copy(this.body, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === this.body.length) this.complete();
    }
  }

  private complete(): void {
    if (this.onFrame) {
      const body = this.body as Buffer;
      this.body = null;
      this.filled = 0;
      this.firstByteNs = null;
      this.onFrame(body);
      return;
    }
    const frame: ReceivedFrame = { body: this.body as Buffer, firstByteNs: this.firstByteNs as bigint, lastByteNs: nowNs() };
    this.body = null;
    this.filled = 0;
    this.firstByteNs = null;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve(frame);
    } else {
      this.done.push(frame);
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = null;
      reject(error);
    }
  }
}

/** Up to this many body bytes, writeFrameNow copies a frame into one buffer rather than corking its pieces. */
const SMALL_FRAME_BYTES = 16 * 1024;

/**
 * Write one frame of a message without waiting for it: header and body corked into one writev.
 * Returns false when the stream's buffer is over its high-water mark (wait for 'drain').
 */
export function writeFrameNow(stream: Writable, body: readonly Uint8Array[]): boolean {
  let bodyBytes = 0;
  for (const chunk of body) bodyBytes += chunk.byteLength;
  if (bodyBytes <= SMALL_FRAME_BYTES) {
    // A small message is copied behind its header: one plain write, cheaper than a writev of pieces.
    const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + bodyBytes);
    frame.writeUInt32LE(bodyBytes, 0);
    frame.writeUInt32LE(0, 4);
    let offset = FRAME_HEADER_BYTES;
    for (const chunk of body) {
      frame.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return stream.write(frame);
  }
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32LE(bodyBytes % 2 ** 32, 0);
  header.writeUInt32LE(Math.floor(bodyBytes / 2 ** 32), 4);
  stream.cork();
  stream.write(header);
  for (const chunk of body) stream.write(chunk);
  stream.uncork();
  return !stream.writableNeedDrain;
}
