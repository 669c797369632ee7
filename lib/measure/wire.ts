import type * as net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { writeInPieces } from './bun-writes';
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
  if (process.versions.bun) return writeInPieces(stream, [header, ...chunks]);
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
 * How a receiver's bytes reach a frame's buffer: `direct` — libuv reads into the frame's own
 * buffer (net.Socket's `onread`, lib/measure/direct-read.ts); `chunked` — libuv reads into 64 KiB
 * chunks of its own, each handed to JavaScript and copied into the frame's buffer (a 'data'
 * listener, below). Which one a receiver uses is chosen in direct-read.ts.
 */
export type ReadWay = 'direct' | 'chunked';

/** What a frame reader does besides queueing frames for `next()`. */
export interface FrameReaderOptions {
  /** A frame announcing more bytes than this is refused as a corrupt stream (default 2^32, Node's largest Buffer). */
  maxFrameBytes?: number;
  /**
   * Hand each whole frame to this callback as it completes, instead of queueing it for `next()`
   * (many small messages: no promise per frame); failures then go to `onFailure`.
   */
  onFrame?: (body: Buffer) => void;
  onFailure?: (error: Error) => void;
  /**
   * The bytes to leave free before a body of `bodyBytes` bytes in the buffer it is read into, so
   * that the decoder finds its data aligned (the codec's `bodyLead`, see codecs/codec.ts's
   * leadFor); none when absent.
   */
  bodyLead?: (bodyBytes: number) => number;
}

/**
 * A new buffer for one body of `bytes` bytes, of its own (not from Node's pool), starting
 * `leadBytes` into its ArrayBuffer: every receiver that allocates a body allocates it here, so a
 * codec's lead (v8's Int32Array, codecs/v8.ts) places the body the same way in every transport
 * and in the floor's decode.
 */
export function bodyBuffer(bytes: number, leadBytes = 0): Buffer {
  return leadBytes === 0 ? Buffer.allocUnsafeSlow(bytes) : Buffer.allocUnsafeSlow(leadBytes + bytes).subarray(leadBytes);
}

/**
 * Reads frames off one stream, one after another. It is made before its stream (a direct reader's
 * `onread` goes into the stream's constructor), then given the stream with `read`. `next()`
 * resolves with the next whole frame, or rejects when the stream ends or fails before a frame is
 * complete (a peer that died mid-transfer). Each frame's body is a buffer of its own.
 */
export interface FrameSource {
  readonly way: ReadWay;
  /** The option that makes a net.Socket read into this reader's buffers; undefined when chunked. */
  readonly onread: net.OnReadOpts | undefined;
  read(stream: Readable): this;
  next(): Promise<ReceivedFrame>;
}

/** What both readers share: whole frames handed out in order, the arrival times, the one failure. */
export abstract class FrameQueue {
  abstract readonly way: ReadWay;
  protected stream: Readable | null = null;
  protected readonly maxFrameBytes: number;
  private firstByteNs: bigint | null = null;
  private done: ReceivedFrame[] = [];
  private waiter: { resolve: (frame: ReceivedFrame) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(private readonly options: FrameReaderOptions) {
    this.maxFrameBytes = options.maxFrameBytes ?? 2 ** 32;
  }

  read(stream: Readable): this {
    this.stream = stream;
    stream.on('end', () => this.fail(new Error(this.describeEnd('the peer closed the stream'))));
    stream.on('error', (error: Error) => this.fail(error));
    return this;
  }

  next(): Promise<ReceivedFrame> {
    const frame = this.done.shift();
    if (frame) return Promise.resolve(frame);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Where the stream stood when it ended: "<what> after N of M bytes of a frame", "… inside a frame header", "… before a frame arrived". */
  protected abstract describeEnd(what: string): string;

  /** Bytes came: the first of a frame starts its clock (callback mode reports no times: no clock read per read). */
  protected arrived(): void {
    if (this.firstByteNs === null && !this.options.onFrame) this.firstByteNs = nowNs();
  }

  /** False, with the stream failed and destroyed, when a header announces more than the reader allows. */
  protected allowed(length: number): boolean {
    if (length <= this.maxFrameBytes) return true;
    this.fail(new Error(`frame of ${length} bytes is larger than the ${this.maxFrameBytes} allowed: corrupt stream?`));
    this.stream?.destroy();
    return false;
  }

  /** The lead the options ask for before a body of `length` bytes (0 without one). */
  protected leadOf(length: number): number {
    return this.options.bodyLead?.(length) ?? 0;
  }

  protected get failed(): boolean {
    return this.failure !== null;
  }

  protected complete(body: Buffer): void {
    const firstByteNs = this.firstByteNs;
    this.firstByteNs = null;
    if (this.options.onFrame) {
      this.options.onFrame(body);
      return;
    }
    const frame: ReceivedFrame = { body, firstByteNs: firstByteNs as bigint, lastByteNs: nowNs() };
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve(frame);
    } else {
      this.done.push(frame);
    }
  }

  protected fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.options.onFailure?.(error);
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = null;
      reject(error);
    }
  }
}

/**
 * The chunked reader: each 'data' chunk (64 KiB or less, a new buffer from libuv) is copied into
 * the frame's body; a frame that lies whole inside one chunk (many small messages) is handed out
 * as a view of it, no copy. Every runtime can do this; Bun's receivers do nothing else.
 */
export class ChunkedFrameReader extends FrameQueue implements FrameSource {
  readonly way = 'chunked';
  readonly onread = undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private body: Buffer | null = null;
  private filled = 0;

  constructor(options: FrameReaderOptions = {}) {
    super(options);
  }

  override read(stream: Readable): this {
    super.read(stream);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    // A socket accepted with pauseOnConnect stays paused with a 'data' listener: start it.
    stream.resume();
    return this;
  }

  protected describeEnd(what: string): string {
    if (this.body) return `${what} after ${this.filled} of ${this.body.length} bytes of a frame`;
    if (this.pendingBytes > 0) return `${what} inside a frame header`;
    return `${what} before a frame arrived`;
  }

  private onData(chunk: Buffer): void {
    this.arrived();
    let offset = 0;
    while (offset < chunk.length && !this.failed) {
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
        if (!this.allowed(length)) return;
        if (length <= chunk.length - offset) {
          // The whole body is in this chunk (many small messages): hand out a view, no copy.
          offset += length;
          this.complete(chunk.subarray(offset - length, offset));
          continue;
        }
        // Node's pool (below 4 KiB) hands out 8-byte-aligned slices, so a lead places the body there too.
        const lead = this.leadOf(length);
        this.body = Buffer.allocUnsafe(lead + length).subarray(lead);
        this.filled = 0;
      }
      const take = Math.min(this.body.length - this.filled, chunk.length - offset);
      chunk.copy(this.body, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === this.body.length) {
        const body = this.body;
        this.body = null;
        this.complete(body);
      }
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
