import type { ChildProcess } from 'node:child_process';
import { findTransport } from '../../model/catalog';
import type { TransferSpec } from '../../model/types';
import { nowNs, secondsBetween } from '../clock';
import { jsonListLength, V8_MAX_STRING_LENGTH } from '../codecs/json';
import { Inbox } from '../messages/endpoint';
import { type Payload, serializedBytesBound } from '../payload';
import type { Transport } from '../transport';

/**
 * ipc — Node's own parent↔child channel: child_process.fork and process.send. Not in the article
 * (Python's multiprocessing has no such channel); it is what most Node programs use first. The
 * sender forks the receiver (an IPC channel only joins a parent and its child). With
 * serialization 'advanced' the message is V8-serialised; with 'json' it becomes one JSON line, so
 * typed arrays must travel as plain arrays (timed as encode/decode) and V8's largest string
 * (2^29 − 24 characters) bounds the message.
 *
 * send runs until process.send's callback (the message was handed to the kernel); Node decodes a
 * message before it emits 'message', so the receiver cannot see the bytes arrive: recv is the time
 * from that event to holding the data, and the decoding shows in total.
 */
/** 'advanced' frames each message with a 4-byte length. */
const ADVANCED_MAX_MESSAGE_BYTES = 2 ** 32 - 1;

function ipcTransport(serialization: 'advanced' | 'json'): Transport {
  const json = serialization === 'json';
  return {
    info: findTransport('node', json ? 'ipc-json' : 'ipc')!,
    topology: 'fork-child',
    serialization,

    limit(spec: TransferSpec) {
      if ((spec.pattern ?? 'transfer') !== 'transfer') {
        return json && spec.payload === 'bytes'
          ? "ipc-json: JSON has no bytes (a Buffer would arrive as {type, data}): send bytes over ipc ('advanced')"
          : null;
      }
      if (json) {
        const characters = jsonListLength(spec.sizeElements) + 16;
        if (characters > V8_MAX_STRING_LENGTH) {
          return `JSON serialization would need a ${characters}-character string, beyond V8's limit of ${V8_MAX_STRING_LENGTH} (2^29 − 24): use ipc (advanced) or a stream transport`;
        }
        return null;
      }
      const bytes = serializedBytesBound(spec.payload, spec.sizeElements);
      return bytes > ADVANCED_MAX_MESSAGE_BYTES ? `a message of up to ${bytes} bytes exceeds the 4 GiB frame of 'advanced' IPC` : null;
    },

    async sender(ctx, data) {
      const child = ctx.child!;
      await ctx.start();
      const startNs = nowNs();
      const message: Payload = json && data instanceof Int32Array ? Array.from(data) : data;
      const sendStartNs = nowNs();
      if (ctx.fault === 'close-early')
        child.disconnect(); // fault: the channel closes with nothing sent
      else await new Promise<void>((resolve, reject) => child.send(message, (error) => (error ? reject(error) : resolve())));
      const endNs = nowNs();
      return {
        startNs,
        encodeSeconds: message === data ? null : secondsBetween(startNs, sendStartNs),
        sendSeconds: secondsBetween(sendStartNs, endNs),
        bytes: json ? jsonListLength(data.length) : null,
      };
    },

    async receiver(ctx) {
      let received: ((message: unknown) => void) | null = null;
      let lost: ((error: Error) => void) | null = null;
      const arrived = new Promise<unknown>((resolve, reject) => {
        received = resolve;
        lost = reject;
      });
      process.once('message', (message) => received?.(message));
      process.once('disconnect', () => lost?.(new Error('the IPC channel closed before a message arrived')));
      arrived.catch(() => undefined); // a disconnect before go is reported when awaited, not as an unhandled rejection
      await ctx.start();
      const message = await arrived;
      const eventNs = nowNs();
      const data = json && ctx.spec.payload === 'int32' ? Int32Array.from(message as number[]) : message;
      const heldNs = nowNs();
      const decodeSeconds = data === message ? null : secondsBetween(eventNs, heldNs);
      return { data, heldNs, recvSeconds: secondsBetween(eventNs, heldNs), decodeSeconds };
    },

    /**
     * Messages: process.send one way, child.send the other, the 'message' event to receive. With
     * 'json' an int32 message travels as a plain array (converted at each end, as for a transfer).
     * process.send queues without bound (its `false` only advises), so the stream pattern grants credit.
     */
    async messages(ctx) {
      const channel = ctx.role === 'sender' ? (ctx.child as ChildProcess) : process;
      const inbox = new Inbox();
      const asArray = json && ctx.spec.payload === 'int32';
      channel.on('message', (message) => inbox.push(asArray && Array.isArray(message) ? Int32Array.from(message) : message));
      channel.once('disconnect', () => inbox.fail(new Error('the IPC channel closed')));
      await ctx.start();
      return {
        flowControl: 'credit',
        // The channel's serializer writes a Buffer's own bytes (advanced) or its text (json).
        pooledMessages: true,
        send(message) {
          (channel.send as (message: unknown) => boolean)(asArray && message instanceof Int32Array ? Array.from(message) : message);
          return undefined;
        },
        receive: () => inbox.next(),
        close: () => channel.disconnect?.(),
      };
    },
  };
}

export const ipcAdvanced = ipcTransport('advanced');
export const ipcJson = ipcTransport('json');
