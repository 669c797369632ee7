import type { MessagePort } from 'node:worker_threads';
import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import type { Transport } from '../transport';
import { portMessageEnd, portPair, takeFromPort } from './common';

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
    if (ctx.fault === 'close-early')
      port.close(); // fault: the channel closes with nothing sent
    else port.postMessage(data);
    return { startNs, encodeSeconds: null, sendSeconds: secondsBetween(startNs, nowNs()), bytes: null };
  },

  async receiver(ctx) {
    return takeFromPort(ctx.shared as MessagePort, ctx.stopping, () => ctx.start());
  },

  /** Messages: postMessage (a structured clone each) and the port's 'message' event. */
  messages: (ctx) => portMessageEnd(ctx, false),
};
