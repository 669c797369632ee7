import type { MessagePort } from 'node:worker_threads';
import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import { toInt32 } from '../payload';
import type { Transport } from '../transport';
import { portMessageEnd, portPair, takeFromPort } from './common';

/**
 * transfer — what Node has beyond the article: postMessage with a transfer list moves an
 * ArrayBuffer to another worker thread without copying it (the sender's view becomes empty).
 * Only ArrayBuffers move, so a list is first packed into an Int32Array (timed as encode, like the
 * article's numpy cast). The buffer must own its memory: Buffer.from and small allocUnsafe slices
 * share a pool and would be cloned, not moved — buildPayload's Int32Array owns its buffer.
 */
export const transfer: Transport = {
  info: findTransport('node', 'transfer')!,
  topology: 'threads',

  hostSetup: portPair,

  async sender(ctx, data) {
    const port = ctx.shared as MessagePort;
    await ctx.start();
    const startNs = nowNs();
    const packed = toInt32(data);
    const sendStartNs = nowNs();
    const bytes = packed.byteLength;
    if (ctx.fault === 'close-early')
      port.close(); // fault: the channel closes with nothing sent
    else port.postMessage(packed, [packed.buffer as ArrayBuffer]);
    return {
      startNs,
      encodeSeconds: packed === data ? null : secondsBetween(startNs, sendStartNs),
      sendSeconds: secondsBetween(sendStartNs, nowNs()),
      bytes,
    };
  },

  async receiver(ctx) {
    return takeFromPort(ctx.shared as MessagePort, ctx.stopping, () => ctx.start());
  },

  limit: (spec) =>
    spec.payload === 'object' && (spec.pattern ?? 'transfer') !== 'transfer'
      ? 'transfer moves ArrayBuffers: an object message has none to move (queue clones objects)'
      : null,

  /** Messages: each message's ArrayBuffer is moved (transfer list), in both directions. */
  messages: (ctx) => portMessageEnd(ctx, true),
};
