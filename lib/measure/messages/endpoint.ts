import type { ReadWay } from '../wire';
import type { Message } from './message';

/**
 * One end of a message channel, as a transport opens it for the message patterns: send a message,
 * take the next. The pattern code (patterns.ts) drives two ends through ping-pong or a stream; a
 * transport only says how one message goes across (lib/measure/transports/<id>.ts, `messages`).
 */
export interface MessageEnd {
  /**
   * Send one message. Returns nothing when the channel took it, or a promise that resolves when
   * the channel has room again (a stream's `write` returned false: backpressure).
   */
  send(message: Message | Ack): Promise<void> | undefined;
  /** The next message as it arrived, decoded. Rejects when the channel ends or fails first. */
  receive(): Promise<unknown>;
  /**
   * How the channel keeps a fast sender from queueing without bound: `native` (a stream's
   * backpressure, a full ring, a blocking call) or `credit` (it has none — a MessagePort, a
   * broker's list — so the stream pattern grants the sender a window of messages at a time).
   */
  flowControl: 'native' | 'credit';
  /** True when sending a message moves it away (a transfer list): the receiver checks it before answering. */
  movesMessages?: boolean;
  /**
   * True when messages may be cut from Node's shared Buffer pool: the channel sends a message's
   * own bytes (a byte stream's frame), never its whole ArrayBuffer as a clone or a transfer would.
   */
  pooledMessages?: boolean;
  /** How the end reads its byte stream (see TransferRecord.readWay); omitted: not a byte stream. */
  readWay?: ReadWay;
  /** Bytes one message takes on the channel (its encoded size), when the transport knows it. */
  wireBytes?(message: Message): number | null;
  /** Close this end (the fault `close-early`, and the end of a run). */
  close(): void;
}

/** A small message the stream pattern sends back: a credit (the count held so far) or the final acknowledgement. */
export type Ack = Uint8Array | Int32Array | { ack: number };

/** An acknowledgement of `count` messages in the pattern's payload kind, so that the channel's codec carries it. */
export function ackOf(kind: 'bytes' | 'int32' | 'object', count: number): Ack {
  if (kind === 'object') return { ack: count };
  const ack = kind === 'int32' ? new Int32Array(2) : new Uint8Array(8);
  new DataView(ack.buffer).setUint32(0, count, true);
  return ack;
}

/** The count an acknowledgement carries; throws when the value is not one. */
export function countOfAck(value: unknown): number {
  if (value instanceof Uint8Array || value instanceof Int32Array) {
    if (value.byteLength !== 8) throw new Error(`an acknowledgement is 8 bytes, this message has ${value.byteLength}`);
    return new DataView(value.buffer, value.byteOffset, 8).getUint32(0, true);
  }
  const count = (value as { ack?: unknown } | null)?.ack;
  if (typeof count !== 'number') throw new Error('expected an acknowledgement, got another message');
  return count;
}

/**
 * Messages that arrive by callback ('data', 'message' events), handed out one at a time by
 * `next()`: the queue between a channel's events and the pattern's awaits.
 */
export class Inbox {
  private readonly held: unknown[] = [];
  private head = 0;
  private waiter: { resolve: (value: unknown) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  push(value: unknown): void {
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve(value);
    } else {
      this.held.push(value);
    }
  }

  /** The channel ended or failed: a waiting or later `next()` rejects with this (messages already held still come first). */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = null;
      reject(error);
    }
  }

  next(): Promise<unknown> {
    if (this.head < this.held.length) {
      const value = this.held[this.head++];
      if (this.head > 1024 && this.head * 2 > this.held.length) {
        this.held.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve(value);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }
}
