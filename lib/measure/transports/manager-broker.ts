import * as net from 'node:net';
import type { PayloadKind } from '../../model/types';
import type { Codec } from '../codecs/codec';
import { frameReader, MESSAGE_READ_WINDOW_BYTES } from '../direct-read';
import { Inbox } from '../messages/endpoint';
import { type FrameSource, type ReadWay, writeFrame } from '../wire';
import { writeHalfFrame } from './common';

/**
 * The manager's wire protocol, both sides. Each request and reply is one length-prefixed frame
 * that starts with an 8-byte head (an operation or a status in byte 0; 8 keeps what follows
 * aligned for a typed-array view), then the value in the run's codec (v8 by default).
 * - The list (the one-shot transfer, as the article's Manager().list()): append, len, pop.
 * - Two named queues (the message patterns, as two Manager().Queue() proxies, one each way): put
 *   and get, the queue's number in byte 1. A get on an empty queue is held at the broker and
 *   answered when an item is put — the client blocks in its call, nobody polls.
 */
export const HEAD_BYTES = 8;
export const OP = { append: 1, len: 2, pop: 3, put: 4, get: 5 } as const;
export const STATUS = { ok: 1, refused: 0 } as const;

/** The named queues: what the sender puts and the receiver gets, and the way back. */
export const QUEUE = { toReceiver: 0, toSender: 1 } as const;
const QUEUE_NAMES = ['to-receiver', 'to-sender'];

/** An 8-byte head whose first byte is `code`, and for len replies the count in bytes 4–7. */
export function head(code: number, count = 0): Buffer {
  const bytes = Buffer.alloc(HEAD_BYTES);
  bytes[0] = code;
  bytes.writeUInt32LE(count, 4);
  return bytes;
}

/** The head of a put or get on queue number `queue`. */
export function queueHead(op: typeof OP.put | typeof OP.get, queue: number): Buffer {
  const bytes = head(op);
  bytes[1] = queue;
  return bytes;
}

/** A refusal: the status head, then why, in UTF-8. */
export function refusal(why: string): Uint8Array[] {
  return [head(STATUS.refused), Buffer.from(why)];
}

/**
 * A client's connection to the broker: one call at a time (send a request frame, wait for the
 * reply frame), as a SyncManager proxy owns one connection per thread and waits for each answer.
 */
export class BrokerClient {
  private calling = false;
  private constructor(
    private readonly socket: net.Socket,
    private readonly reader: FrameSource,
  ) {}
  /** `valueLead`: the codec's lead for a value (see {@link brokerReader}); none when absent. */
  static connect(socketPath: string, valueLead?: (valueBytes: number) => number): Promise<BrokerClient> {
    // Many small calls: the message window (direct-read.ts); a large reply gets a buffer of its own.
    const reader = brokerReader(valueLead);
    return new Promise((resolve, reject) => {
      const socket: net.Socket = net.connect({ path: socketPath, onread: reader.onread }, () =>
        resolve(new BrokerClient(socket, reader.read(socket))),
      );
      socket.once('error', reject);
    });
  }
  /** A request; resolves with the reply's body after its head (throws when the broker refused). */
  async call(chunks: readonly Uint8Array[]): Promise<Buffer> {
    // A second call would queue behind a get the broker is holding: refuse it instead of hanging.
    if (this.calling) throw new Error('a broker client makes one call at a time: the previous call has not returned');
    this.calling = true;
    try {
      await writeFrame(this.socket, chunks);
      const reply = (await this.reader.next()).body;
      if (reply[0] !== STATUS.ok) throw new Error(`the broker refused: ${reply.subarray(HEAD_BYTES).toString('utf8')}`);
      return reply;
    } finally {
      this.calling = false;
    }
  }
  /** How this client reads the broker's replies (direct-read.ts). */
  get readWay(): ReadWay {
    return this.reader.way;
  }
  /** Fault `close-early`: half a request, then hang up. */
  async abandon(chunks: readonly Uint8Array[]): Promise<void> {
    await writeHalfFrame(this.socket, chunks);
    this.socket.end();
  }
  close(): void {
    this.socket.destroy();
  }
}

/**
 * The frame reader of either end of a broker connection: a window for its many small frames, and
 * a large frame in a buffer of its own placed so that the value after the head lands where the
 * codec wants it (`valueLead`, the codec's bodyLead: v8's Int32Array at 10^8, codecs/v8.ts). The
 * head is 8 bytes, a multiple of the alignment a lead serves, so the frame's lead is its value's.
 */
export function brokerReader(valueLead?: (valueBytes: number) => number): FrameSource {
  const bodyLead = valueLead && ((bodyBytes: number) => (bodyBytes > HEAD_BYTES ? valueLead(bodyBytes - HEAD_BYTES) : 0));
  return frameReader({ windowBytes: MESSAGE_READ_WINDOW_BYTES, bodyLead });
}

/**
 * The broker's named queues. An item is decoded into the broker's heap when it is put and encoded
 * again when it is got, as the manager's server unpickles a proxy call's argument and pickles the
 * result. The queues have no bound (Manager().Queue() has none by default): the message patterns
 * give the sender credit instead.
 */
export class BrokerQueues {
  private readonly queues = QUEUE_NAMES.map(() => new Inbox());

  constructor(
    private readonly codec: Codec,
    private readonly kind: PayloadKind,
  ) {}

  /** The reply to a put or get; a get waits here until its queue has an item or can never have one. */
  async answer(request: Buffer): Promise<Uint8Array[]> {
    const op = request[0];
    const queue = this.queues[request[1]];
    if (!queue) return refusal(`no queue number ${request[1]}: the queues are 0 to ${this.queues.length - 1} (${QUEUE_NAMES.join(', ')})`);
    try {
      if (op === OP.put) {
        queue.push(this.codec.decode(request.subarray(HEAD_BYTES), this.kind));
        return [head(STATUS.ok)];
      }
      const item = await queue.next();
      return [head(STATUS.ok), ...this.codec.encode(item as never)];
    } catch (error) {
      return refusal(`${op === OP.put ? 'put' : 'get'} on queue ${QUEUE_NAMES[request[1]]}: ${(error as Error).message}`);
    }
  }

  /**
   * A client closed its connection. The other one may be waiting for an item only the departed
   * one could put: its get (now or later, once the items already queued are taken) is refused
   * instead of waiting for the run's timeout.
   */
  clientLeft(why: string): void {
    for (const queue of this.queues) queue.fail(new Error(`the other client closed its connection to the broker (${why})`));
  }
}
