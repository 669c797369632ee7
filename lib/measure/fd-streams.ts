import * as fs from 'node:fs';
import * as net from 'node:net';
import { Readable, type Writable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

/**
 * Streams over a file descriptor a peer inherited or opened (a pipe, a FIFO, one end of a
 * socketpair). Node and Deno wrap it in a net.Socket, which reads through the event loop. Bun's
 * net.Socket cannot (measured with Bun 1.4.5: on a socketpair it fails with "Socket is closed", on
 * a pipe it reads nothing and says nothing), and its fs read streams block a thread of a small pool
 * per read (two blocked reads, a pipe and the control channel, left no thread to write with). So
 * under Bun an fd is read with Bun's own non-blocking file reader, `Bun.file(fd).stream()`, and
 * written through an fs write stream; ipc-lab's README names this difference.
 */
const BUN = Boolean(process.versions.bun);

/** The one Bun API used: a non-blocking reader of an fd, as a web stream. */
declare const Bun: { file(fd: number): { stream(): ReadableStream<Uint8Array> } };

function bunReader(fd: number): Readable {
  return Readable.fromWeb(Bun.file(fd).stream(), { highWaterMark: 1 << 16 });
}

/**
 * Read `fd` as a stream (destroying it closes the fd in Node and Deno; a Bun peer's fd lives until
 * it exits). `onread` (a direct frame reader's, see direct-read.ts) makes libuv read into the
 * reader's buffers; Bun's reader has none (its receivers read chunked).
 */
export function readableFd(fd: number, onread?: net.OnReadOpts): Readable {
  if (BUN) return bunReader(fd);
  return new net.Socket({ fd, readable: true, writable: false, onread } as net.SocketConstructorOpts);
}

/** Write `fd` as a stream; ending or destroying the stream closes the fd. */
export function writableFd(fd: number): Writable {
  if (BUN) return fs.createWriteStream('', { fd });
  return new net.Socket({ fd, readable: false, writable: true });
}

/**
 * Open a FIFO's write end whose reader is already open (so the open does not wait): non-blocking
 * for Node's and Deno's net.Socket, blocking for Bun's fs write stream, which fails with EAGAIN on
 * a full FIFO instead of waiting.
 */
export function openFifoForWriting(fifoPath: string): number {
  return fs.openSync(fifoPath, fs.constants.O_WRONLY | (BUN ? 0 : fs.constants.O_NONBLOCK));
}

/** Both ways over one fd (a socketpair's end): one stream in Node and Deno, a reader and a writer in Bun. */
export function duplexFd(fd: number): { input: Readable; output: Writable } {
  if (!BUN) {
    const socket = new net.Socket({ fd, readable: true, writable: true });
    return { input: socket, output: socket };
  }
  return { input: bunReader(fd), output: fs.createWriteStream('', { fd }) };
}
