import { MessageChannel, MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { findTransport } from '../catalog';
import { nowNs, secondsBetween } from '../clock';
import { Transport } from '../transport';

/**
 * Queue — the article's multiprocessing.Queue, in Node's terms: a MessagePort between two worker
 * threads, postMessage with structured clone. Python's put() returns at once and a feeder thread
 * pickles later; Node's postMessage serialises synchronously before it returns, so send here holds
 * the whole clone — that is the honest Node number. The receiver polls the port as the article
 * polls empty(), and the successful take (receiveMessageOnPort, which deserialises) is recv.
 */
export const queue: Transport = {
  info: findTransport('node', 'queue')!,
  topology: 'threads',

  hostSetup: portPair,

  async sender(ctx, data) {
    const port = ctx.shared as MessagePort;
    await ctx.start();
    const startNs = nowNs();
    if (ctx.fault === 'close-early') port.close(); // fault: the channel closes with nothing sent
    else port.postMessage(data);
    return { startNs, encodeSeconds: null, sendSeconds: secondsBetween(startNs, nowNs()), bytes: null };
  },

  async receiver(ctx) {
    return takeFromPort(ctx.shared as MessagePort, ctx.stopping, () => ctx.start());
  },
};

/** One MessageChannel, an end for each worker (moved to it, not cloned). Shared with `transfer`. */
export function portPair() {
  const { port1, port2 } = new MessageChannel();
  return { sender: { shared: port1, transfer: [port1] }, receiver: { shared: port2, transfer: [port2] } };
}

/** Poll a port until a message is there; recv is the take that returns it. Shared with `transfer`. */
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
