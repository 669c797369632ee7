import type * as net from 'node:net';
import * as v8 from 'node:v8';
import { fail } from './args';
import type { Receiver } from './reads';

/** Links: one side's view of a channel, a byte stream or messages as values, behind one interface. */

/** Data one way or both, control numbers (acks, credits) the other way. */
export interface Link {
  /** Send one message; false when the channel is full: wait for whenDrained before the next. */
  send(message: unknown): boolean;
  whenDrained(callback: () => void): void;
  sendControl(value: number): void;
  /** Call back once everything sent has left this process (before it exits). */
  finish(callback: () => void): void;
  onMessage: (message: unknown) => void;
  onControl: (value: number) => void;
  /** A stream's error (the peer gone, most often); the default ends this process with it. */
  onError: (error: Error) => void;
}

/**
 * A byte stream in, a byte stream out (one socket, or two FIFOs), the input opened with
 * `receiver.onread` (reads.ts). A rate sender reads only control bytes.
 */
export function streamLink(input: net.Socket, output: net.Socket, receiver: Receiver, serialized: boolean): Link {
  const link: Link = {
    send: (message) => output.write(serialized ? v8Frame(message) : (message as Buffer)),
    whenDrained: (callback) => output.once('drain', callback),
    sendControl: (value) => output.write(Buffer.of(-value)),
    finish: (callback) => output.end(callback),
    onMessage: () => {},
    onControl: () => {},
    onError: (error) => fail(error, 'channel: '),
  };
  for (const socket of new Set([input, output])) socket.on('error', (error) => link.onError(error));
  receiver.onMessage = (message) => link.onMessage(message);
  receiver.onControl = (value) => link.onControl(value);
  return link;
}

/** One message as a v8 channel sends it: a 4-byte little-endian length, then v8.serialize's bytes. */
function v8Frame(message: unknown): Buffer {
  const body = v8.serialize(message);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Messages as values: a MessagePort, or a child process's IPC channel (either end). */
export function messageLink(
  post: (value: unknown, written: (error?: Error | null) => void) => boolean,
  subscribe: (handler: (value: unknown) => void) => void,
  window: number | null,
): Link {
  let inFlight = 0;
  let sent = 0;
  let credited = 0;
  let waiting: (() => void) | null = null;
  const wake = () => {
    const callback = waiting;
    waiting = null;
    callback?.();
  };
  // A send to a closed channel calls back with an error at once: stop there, or the sender
  // would resend forever from process.nextTick and never see the peer's exit.
  const written = (error?: Error | null) => {
    if (error) return link.onError(error);
    if (--inFlight === 0 && window === null) wake();
  };
  const link: Link = {
    send(message) {
      inFlight++;
      sent++;
      const ok = post(message, written);
      return window === null ? ok : sent - credited < window;
    },
    whenDrained: (callback) => {
      waiting = callback;
      if (window === null ? inFlight === 0 : sent - credited < window) wake();
    },
    sendControl: (value) => {
      inFlight++;
      post(value, written);
    },
    finish: (callback) => link.whenDrained(callback),
    onMessage: () => {},
    onControl: () => {},
    onError: (error) => fail(error, 'channel: '),
  };
  subscribe((value) => {
    if (typeof value !== 'number') return link.onMessage(value);
    if (value > 0) {
      credited = value;
      if (waiting && sent - credited < (window ?? 0)) wake();
    } else link.onControl(value);
  });
  return link;
}

/** MessagePort's credit window: up to 64 messages, at most 8 MiB of them, at least 2. */
export const windowFor = (bytes: number) => Math.max(2, Math.min(64, Math.floor((8 << 20) / bytes)));
