import * as fs from 'node:fs';
import * as net from 'node:net';
import {
  bodyBuffer,
  ChunkedFrameReader,
  FRAME_HEADER_BYTES,
  FrameQueue,
  type FrameReaderOptions,
  type FrameSource,
  type ReadWay,
} from './wire';

/**
 * How a frame is received: straight into the buffer the receiver keeps. A net.Socket given
 * `onread: { buffer: () => next target, callback }` has libuv read(2) into the memory that
 * function returns instead of a 64 KiB chunk of its own, so each system call lands where the
 * bytes will stay — what native/ipc_baseline.c does — and JavaScript copies none of a body. The
 * header is read into a small window, then the body into `body.subarray(filled)`: a read never
 * asks for more than the frame's remaining bytes, so no byte of a following frame lands in a
 * body. Many small messages share a larger window instead, many frames per read, each then
 * copied out into a buffer of its own.
 *
 * The way is chosen here, once (READ_WAY). Bun reads chunked (wire.ts's ChunkedFrameReader): its
 * net.Socket cannot wrap an fd at all (fd-streams.ts), and handing an accepted connection's handle
 * to a new socket (adoptAccepted) leaves it reading nothing (both measured with Bun 1.4.5; its
 * `onread` on a socket it connects itself did fill the given buffers). Node 20.20 and Deno 2.9.6
 * read directly on a pipe's fd, a connected socket and an adopted accepted one.
 */
export const READ_WAY: ReadWay = process.versions.bun ? 'chunked' : 'direct';

/**
 * A window for many small messages: many frames per read(2), each copied out into a buffer of its
 * own (the window is read into again). A one-shot transfer's reader keeps the 8-byte default.
 */
export const MESSAGE_READ_WINDOW_BYTES = 64 * 1024;

/** The frame reader of a receiver: direct unless `way` (default READ_WAY) says chunked. */
export function frameReader(options: FrameReaderOptions & { way?: ReadWay; windowBytes?: number } = {}): FrameSource {
  return (options.way ?? READ_WAY) === 'direct' ? new DirectFrameReader(options) : new ChunkedFrameReader(options);
}

/**
 * The direct reader. Its window holds a header, or (for messages) many whole small frames; a frame
 * that does not fit the window gets a buffer of exactly its length, which libuv fills itself.
 * Invariant between reads: the window holds at most part of one frame, from its start, so the
 * next target (the window's free rest, or the body's unfilled rest) is never empty — a zero-length
 * buffer makes libuv fail the read with ENOBUFS.
 */
export class DirectFrameReader extends FrameQueue implements FrameSource {
  readonly way = 'direct';
  readonly onread: net.OnReadOpts;
  private readonly window: Buffer;
  /** The window's unread bytes are [start, end). */
  private start = 0;
  private end = 0;
  /** A frame larger than the window, being read into its own buffer. */
  private body: Buffer | null = null;
  private filled = 0;

  constructor(options: FrameReaderOptions & { windowBytes?: number } = {}) {
    super(options);
    this.window = Buffer.allocUnsafeSlow(Math.max(FRAME_HEADER_BYTES, options.windowBytes ?? FRAME_HEADER_BYTES));
    this.onread = {
      buffer: () => (this.body ? this.body.subarray(this.filled) : this.window.subarray(this.end)),
      callback: (bytes: number) => {
        this.received(bytes);
        return true;
      },
    };
  }

  protected describeEnd(what: string): string {
    if (this.body) return `${what} after ${this.filled} of ${this.body.length} bytes of a frame`;
    const held = this.end - this.start;
    if (held >= FRAME_HEADER_BYTES) return `${what} after ${held - FRAME_HEADER_BYTES} of ${this.lengthAt(this.start)} bytes of a frame`;
    if (held > 0) return `${what} inside a frame header`;
    return `${what} before a frame arrived`;
  }

  private lengthAt(offset: number): number {
    return this.window.readUInt32LE(offset) + this.window.readUInt32LE(offset + 4) * 2 ** 32;
  }

  private received(bytes: number): void {
    this.arrived();
    if (this.body) {
      this.filled += bytes;
      if (this.filled < this.body.length) return;
      const body = this.body;
      this.body = null;
      this.complete(body);
      return;
    }
    this.end += bytes;
    this.takeFrames();
  }

  /** Hand out every whole frame in the window; start the body of a large one; keep the rest at the window's start. */
  private takeFrames(): void {
    const window = this.window;
    while (this.end - this.start >= FRAME_HEADER_BYTES && !this.failed) {
      const length = this.lengthAt(this.start);
      if (!this.allowed(length)) break;
      const bodyStart = this.start + FRAME_HEADER_BYTES;
      if (length <= this.end - bodyStart) {
        // A whole small frame: a copy of its own, since the window is read into again.
        const body = Buffer.allocUnsafe(length);
        window.copy(body, 0, bodyStart, bodyStart + length);
        this.start = bodyStart + length;
        this.complete(body);
      } else if (FRAME_HEADER_BYTES + length > window.length) {
        // Too large for the window: its own buffer (not from Node's pool: at the codec's lead,
        // offset 0 without one), what came with the header first, the rest read straight into it.
        this.body = bodyBuffer(length, this.leadOf(length));
        this.filled = window.copy(this.body, 0, bodyStart, this.end);
        this.start = this.end = 0;
        return;
      } else {
        break; // the rest of a frame that fits: read in behind what is here
      }
    }
    if (this.failed) this.start = this.end = 0;
    else if (this.start > 0) {
      window.copy(window, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
  }
}

/** What an accepting server needs for adoptAccepted: accepted connections that read nothing yet (when reading directly). */
export function serverOptions(): net.ServerOpts {
  return { pauseOnConnect: READ_WAY === 'direct' };
}

/**
 * The accepted connection as a socket that reads with `onread` (itself when `onread` is undefined:
 * chunked). Node builds an accepted socket itself and gives it no `onread` (lib/net.js's
 * onconnection in Node 20.20; net.createServer takes none), so its handle — not read from yet,
 * the server having been made with serverOptions() — moves into a new net.Socket given `onread`.
 * The old wrapper is destroyed without its handle: it closes nothing, and the server counts one
 * connection fewer. `_handle` and the `handle` option are Node's own (undocumented) ways; the
 * test test/unit/direct-read.test.ts holds them to it.
 */
export function adoptAccepted(accepted: net.Socket, onread: net.OnReadOpts | undefined): net.Socket {
  if (!onread) return accepted;
  const wrapper = accepted as unknown as { _handle: object | null };
  const handle = wrapper._handle;
  if (!handle) throw new Error('the accepted connection closed before it could be read');
  wrapper._handle = null;
  accepted.destroy();
  return new net.Socket({ handle, onread, readable: true, writable: true } as net.SocketConstructorOpts);
}

/** Above this, one readSync asks for less (a read(2) moves at most 2^31 − 4096 bytes on Linux). */
const FILE_READ_BYTES = 2 ** 30;

/**
 * A whole file read into one buffer of its size, allocated once (at `bodyLead`'s offset, as a
 * frame's body is placed; 0 without one), by plain read(2)s
 * straight into it: the file transport's direct read in every runtime (fs.readFileSync does the
 * same in Node, but from Node's pool below 4 KiB and refusing files over 2 GiB). A file that ends
 * before the size fstat gave (it shrank meanwhile) gives what was there.
 */
export function readFileDirect(filePath: string, bodyLead?: (bodyBytes: number) => number): Buffer {
  const fd = fs.openSync(filePath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const body = bodyBuffer(size, bodyLead?.(size) ?? 0);
    let filled = 0;
    while (filled < body.length) {
      const got = fs.readSync(fd, body, filled, Math.min(body.length - filled, FILE_READ_BYTES), null);
      if (got === 0) return body.subarray(0, filled);
      filled += got;
    }
    return body;
  } finally {
    fs.closeSync(fd);
  }
}
