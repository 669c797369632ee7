import * as net from 'node:net';
import * as v8 from 'node:v8';

/**
 * How the minimal program reads a byte stream: straight into memory it provides (net.Socket's
 * `onread`), as ipc-lab's stream receivers do (lib/measure/direct-read.ts), so that a transport ÷
 * bare Node compares like with like. Many messages arrive per read(2) in a reused window; each
 * `bytes` message is then copied out into a Buffer of its own (a server echoes it, and the window
 * is read into again), each v8 frame deserialized from the window (that makes values of their
 * own). A message larger than the window is read into a buffer of its own size.
 */
const WINDOW_BYTES = 64 * 1024;

/** What arrives: `bytes` messages of a fixed size, v8 frames behind a 4-byte length, or one-byte control values. */
export type Incoming = 'bytes' | 'v8' | 'control';

/** One stream's reading end: give `onread` to the socket, set the handlers. */
export interface Receiver {
  readonly onread: net.OnReadOpts;
  onMessage: (message: unknown) => void;
  onControl: (value: number) => void;
}

export function directReceiver(incoming: Incoming, bytes: number): Receiver {
  const window = Buffer.allocUnsafeSlow(WINDOW_BYTES);
  // The window's unread bytes are [start, end); a message larger than the window fills `body`.
  let start = 0;
  let end = 0;
  let body: Buffer | null = null;
  let filled = 0;
  const deliver = (message: Buffer, own: boolean) => {
    if (incoming === 'control') receiver.onControl(-message[0]);
    else if (incoming === 'v8') receiver.onMessage(v8.deserialize(message));
    else receiver.onMessage(own ? message : Buffer.from(message));
  };
  const take = () => {
    for (;;) {
      const header = incoming === 'v8' ? 4 : 0;
      if (end - start < header) break;
      const length = incoming === 'v8' ? window.readUInt32LE(start) : incoming === 'control' ? 1 : bytes;
      const bodyStart = start + header;
      if (end - bodyStart >= length) {
        start = bodyStart + length;
        deliver(window.subarray(bodyStart, start), false);
      } else if (header + length > window.length) {
        body = Buffer.allocUnsafeSlow(length);
        filled = window.copy(body, 0, bodyStart, end);
        start = end = 0;
        return;
      } else break;
    }
    // The part of a message left moves to the window's start: the next read has room for the rest.
    window.copy(window, 0, start, end);
    end -= start;
    start = 0;
  };
  const receiver: Receiver = {
    onMessage: () => {},
    onControl: () => {},
    onread: {
      // Never empty (libuv fails a read into no room): a body is left before it is full, the window keeps less than one message.
      buffer: () => (body ? body.subarray(filled) : window.subarray(end)),
      callback(nread) {
        if (!body) {
          end += nread;
          take();
          return true;
        }
        filled += nread;
        if (filled === body.length) {
          const whole = body;
          body = null;
          deliver(whole, true);
        }
        return true;
      },
    },
  };
  return receiver;
}

/**
 * A server made to hand over its connections: they read nothing until adopted. An accepted socket
 * cannot be given `onread` (Node builds it in lib/net.js's onconnection), so its handle moves into
 * a new net.Socket that has one; the old wrapper, destroyed without its handle, closes nothing.
 */
export const adoptingServer = () => net.createServer({ pauseOnConnect: true });

export function adopt(accepted: net.Socket, onread: net.OnReadOpts): net.Socket {
  const wrapper = accepted as unknown as { _handle: object | null };
  const handle = wrapper._handle;
  wrapper._handle = null;
  accepted.destroy();
  return new net.Socket({ handle, onread, readable: true, writable: true } as net.SocketConstructorOpts);
}
