import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { TransferSpec } from '../../model/types';
import { nowNs, secondsBetween } from '../clock';
import type { Codec } from '../codecs/codec';
import { encodedLength, leadFor } from '../codecs/codec';
import { serializerOf } from '../codecs/index';
import { frameReader, MESSAGE_READ_WINDOW_BYTES } from '../direct-read';
import { Inbox, type MessageEnd } from '../messages/endpoint';
import { createSharedFile, mapSharedFile, regionBytes, regionOf, type SharedRegion, sharedMemoryRoot } from '../shared-memory';
import type { PeerContext, Transport } from '../transport';
import { FRAME_HEADER_BYTES, writeFrameNow } from '../wire';

/**
 * Not a transport: what several transports share, in one place, so that no transport file
 * imports another. The serializer of a byte-carrying transport, the free-space limit, the half-frame fault, a private listen,
 * a MessagePort pair and its polling take, and the shared-region plumbing of shared-array and
 * raw-array.
 */

/**
 * The serializer of a transport that carries bytes (a stream, a file, a broker): the spec's codec,
 * which the runner always names. Message ports and shared memory have none.
 */
export function serializerFor(spec: TransferSpec): Codec {
  const codec = serializerOf(String(spec.codec));
  if (!codec) throw new Error(`transport ${spec.transport} needs a serializer, not codec "${spec.codec}"`);
  return codec;
}

/**
 * Where a receiver places a body of the spec's codec and payload in the buffer it reads it into
 * (the codec's lead, wire.ts's FrameReaderOptions.bodyLead): v8's Int32Array lands aligned, a view.
 */
export function bodyLeadFor(spec: TransferSpec): ((bodyBytes: number) => number) | undefined {
  return leadFor(serializerFor(spec), spec.payload);
}

/**
 * Fault `close-early`: a frame header announcing the whole body, then only half of it, as a sender
 * that dies or closes its end mid-write leaves it. The stream transports and the manager use it.
 */
export function writeHalfFrame(stream: Writable, body: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const chunks = body instanceof Uint8Array ? [body] : body;
  const whole = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeBigUInt64LE(BigInt(whole.byteLength));
  stream.write(header);
  return new Promise((resolve, reject) =>
    stream.write(whole.subarray(0, whole.byteLength >> 1), (error) => (error ? reject(error) : resolve())),
  );
}

/**
 * How many bytes a byte stream's message end lets wait in its buffer before a send waits for
 * 'drain': a pipe's capacity. Beyond the stream's own 16 KiB mark, so that a burst of small frames
 * leaves in one writev (measured: 1 KiB messages stream 1.1–1.3× faster than waiting at 16 KiB);
 * bounded, so the stream pattern still honours backpressure.
 */
const STREAM_WINDOW_BYTES = 64 * 1024;

/** A byte stream's two ends for messages: one socket both ways, or a FIFO each way. */
export interface StreamEnds {
  input: Readable;
  output: Writable;
}

/**
 * The message end of a byte stream (pipe, Unix socket, TCP): each message is one length-prefixed
 * frame in the spec's codec, written without waiting (header and body in one writev) unless more
 * than STREAM_WINDOW_BYTES wait in the stream's buffer — its backpressure, which the stream
 * pattern honours. `open` opens the stream with the frame reader's `onread` (many frames per read
 * into one window, each message then a buffer of its own: lib/measure/direct-read.ts).
 */
export async function streamMessageEnd(
  spec: TransferSpec,
  open: (onread: net.OnReadOpts | undefined) => StreamEnds | Promise<StreamEnds>,
): Promise<MessageEnd> {
  const codec = serializerFor(spec);
  const kind = spec.payload;
  const inbox = new Inbox();
  const reader = frameReader({
    windowBytes: MESSAGE_READ_WINDOW_BYTES,
    bodyLead: leadFor(codec, kind),
    onFrame(body) {
      try {
        inbox.push(codec.decode(body, kind));
      } catch (error) {
        inbox.fail(error as Error);
        input.destroy();
      }
    },
    onFailure: (error) => inbox.fail(error),
  });
  const { input, output } = await open(reader.onread);
  reader.read(input);
  if ((output as unknown) !== input) output.on('error', (error) => inbox.fail(error));
  // Frames sent within one turn of the event loop leave together: the first send of a turn corks
  // the stream and the turn's end uncorks it, so a burst is one writev instead of a system call per
  // frame, and a lone frame (a round trip) leaves as soon as its sender awaits anything.
  let corked = false;
  const uncork = () => {
    corked = false;
    output.uncork();
  };
  return {
    flowControl: 'native',
    pooledMessages: true,
    readWay: reader.way,
    send(message) {
      if (!corked && !output.writableEnded) {
        corked = true;
        output.cork();
        process.nextTick(uncork);
      }
      // Corked, the stream only buffers: how much waits is the whole of its backpressure here (past
      // the window the stream is also past its own mark, so 'drain' will come).
      writeFrameNow(output, codec.encode(message));
      if (output.writableLength < STREAM_WINDOW_BYTES) return undefined;
      return new Promise((resolve) => output.once('drain', resolve));
    },
    receive: () => inbox.next(),
    wireBytes: (message) => FRAME_HEADER_BYTES + encodedLength(codec.encode(message)),
    close() {
      output.end();
      if ((output as unknown) !== input) input.destroy();
    },
  };
}

/**
 * Refuse, before anything is written, a file or shared-memory region larger than the free space
 * of the file system it goes to (statfs): a full /dev/shm or /tmp would otherwise fail late, or
 * take the machine's memory with it (tmpfs is memory).
 */
export function freeSpaceLimit(dir: string, bytes: number, what: string): string | null {
  const stats = fs.statfsSync(dir);
  const freeBytes = stats.bavail * stats.bsize;
  return bytes > freeBytes ? `${what} needs ${bytes} bytes in ${dir}, which has ${freeBytes} bytes free` : null;
}

/**
 * Listen; a Unix socket file is born 0600 (bind(2) applies the umask, so it is narrowed around the
 * call — a chmod afterwards would leave a moment when the file is 0755). The runner's 0700 dir
 * already keeps other users out; this keeps the file private if it is ever moved. Used by the
 * manager's broker too. Process peers only: a worker thread cannot change the umask.
 */
export async function listenPrivately(server: net.Server, where: net.ListenOptions): Promise<void> {
  const previous = where.path ? process.umask(0o177) : null;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(where, resolve);
    });
  } finally {
    if (previous !== null) process.umask(previous);
  }
}

/** One MessageChannel, an end for each worker (moved to it, not cloned). Used by `queue` and `transfer`. */
export function portPair() {
  const { port1, port2 } = new MessageChannel();
  return { sender: { shared: port1, transfer: [port1] }, receiver: { shared: port2, transfer: [port2] } };
}

/**
 * The message end of a MessagePort (queue, transfer): postMessage to send, the 'message' event to
 * receive — what worker-pool code does. A port has no backpressure (postMessage always queues),
 * so the stream pattern grants credit. `move`: each message's ArrayBuffer goes in the transfer list.
 */
export async function portMessageEnd(ctx: PeerContext, move: boolean): Promise<MessageEnd> {
  const port = ctx.shared as MessagePort;
  const inbox = new Inbox();
  port.on('message', (value) => inbox.push(value));
  port.once('close', () => inbox.fail(new Error('the other thread closed the message port')));
  await ctx.start();
  return {
    flowControl: 'credit',
    movesMessages: move,
    send(message) {
      if (move && ArrayBuffer.isView(message)) port.postMessage(message, [message.buffer as ArrayBuffer]);
      else port.postMessage(message);
      return undefined;
    },
    receive: () => inbox.next(),
    close: () => port.close(),
  };
}

/** Poll a port until a message is there; recv is the take that returns it. Used by `queue` and `transfer`. */
export async function takeFromPort(port: MessagePort, stopping: () => boolean, start: () => Promise<unknown>) {
  let closed = false;
  port.once('close', () => (closed = true));
  await start();
  for (;;) {
    const takeStartNs = nowNs();
    const taken = receiveMessageOnPort(port);
    if (taken) {
      const heldNs = nowNs();
      return { data: taken.message as unknown, heldNs, recvSeconds: secondsBetween(takeStartNs, heldNs), decodeSeconds: null };
    }
    if (stopping()) throw new Error('stopped before a message arrived');
    if (closed) throw new Error('the sender closed the message port before a message arrived');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The plumbing that shared-array and raw-array share. Between processes the
 * region is a file in the transfer's private /dev/shm dir, created by the runner and mapped by
 * each peer; between threads it is a SharedArrayBuffer the host hands to both workers. How the
 * bytes are written and read stays in each transport's own file.
 */
export type RegionPlumbing = Pick<Transport, 'topology' | 'limit' | 'prepare' | 'hostSetup'> & {
  /** The peer's view of the shared region. */
  region(ctx: PeerContext): SharedRegion;
};

export function regionPlumbing(threads: boolean, fileName: string): RegionPlumbing {
  if (threads) {
    return {
      topology: 'threads',
      hostSetup(spec: TransferSpec) {
        const buffer = new SharedArrayBuffer(regionBytes(spec.sizeElements));
        // Touched before the transfer, as the article's Array/RawArray are zero-filled by their creator.
        new Uint8Array(buffer).fill(0);
        return { sender: { shared: buffer, transfer: [] }, receiver: { shared: buffer, transfer: [] } };
      },
      region: (ctx) => regionOf(ctx.shared as SharedArrayBuffer, ctx.spec.sizeElements),
    };
  }
  return {
    topology: 'separate',
    limit: (spec: TransferSpec) => freeSpaceLimit(sharedMemoryRoot(), regionBytes(spec.sizeElements), 'the shared region'),
    prepare(spec: TransferSpec, dirs) {
      const regionPath = path.join(dirs.shmDir, fileName);
      createSharedFile(regionPath, regionBytes(spec.sizeElements), { touch: true });
      return { regionPath };
    },
    region: (ctx) => regionOf(mapSharedFile(String(ctx.prepared.regionPath), regionBytes(ctx.spec.sizeElements)), ctx.spec.sizeElements),
  };
}
