import * as net from 'node:net';
import * as path from 'node:path';
import { findTransport } from '../../model/catalog';
import type { PayloadKind, TransferSpec } from '../../model/types';
import { nowNs, secondsBetween } from '../clock';
import { type Codec, encodedLength, leadFor } from '../codecs/codec';
import { adoptAccepted, serverOptions } from '../direct-read';
import type { MessageEnd } from '../messages/endpoint';
import type { Transport } from '../transport';
import { FRAME_HEADER_BYTES, writeFrame } from '../wire';
import { bodyLeadFor, listenPrivately, serializerFor } from './common';
import { BrokerClient, BrokerQueues, brokerReader, HEAD_BYTES, head, OP, QUEUE, queueHead, refusal, STATUS } from './manager-broker';

/**
 * Manager — the article's multiprocessing.Manager().list(): a third process owns the list, and
 * sender and receiver change it only through calls to that process (SyncManager proxies).
 * Here the broker listens on a Unix socket in the transfer's private dir (SyncManager's default
 * on Linux is an AF_UNIX socket too) and answers length-prefixed frames. Each request and reply
 * starts with an 8-byte head (an operation or a status in the first byte; 8 keeps what follows
 * aligned for a typed-array view), then the value in the transfer's codec (v8 by default). The
 * payload is decoded into the broker's heap on append and encoded again on pop, as the manager's
 * server unpickles and re-pickles it. send is the append call until the broker's reply; recv the
 * pop call, decode included; the receiver polls len() first, as the article does.
 * The message patterns use two named queues on the same broker instead (manager-broker.ts).
 */
/** The broker's answer to one request frame: its list changes as the request says. */
function answer(request: Buffer, items: unknown[], codec: Codec, kind: PayloadKind): Uint8Array[] {
  const op = request[0];
  if (op === OP.append) {
    items.push(codec.decode(request.subarray(HEAD_BYTES), kind));
    return [head(STATUS.ok)];
  }
  if (op === OP.len) return [head(STATUS.ok, items.length)];
  if (op === OP.pop && items.length > 0) return [head(STATUS.ok), ...codec.encode(items.pop() as never)];
  return refusal(op === OP.pop ? 'cannot pop an empty list' : `unknown operation ${op}`);
}

export const manager: Transport = {
  info: findTransport('node', 'manager')!,
  topology: 'separate',
  roles: ['broker', 'sender', 'receiver'],

  async broker(ctx) {
    const codec = serializerFor(ctx.spec);
    const items: unknown[] = [];
    let broken: string | null = null;
    const queues = new BrokerQueues(codec, ctx.spec.payload);
    const socketPath = path.join(ctx.tmpDir, 'manager.sock');
    const server = net.createServer(serverOptions(), (connection) => {
      const reader = brokerReader(leadFor(codec, ctx.spec.payload));
      const socket = adoptAccepted(connection, reader.onread);
      reader.read(socket);
      const serve = async (): Promise<void> => {
        for (;;) {
          const frame = await reader.next();
          const op = frame.body[0];
          const reply =
            op === OP.put || op === OP.get
              ? await queues.answer(frame.body)
              : broken
                ? [head(STATUS.refused), Buffer.from(broken)]
                : answer(frame.body, items, codec, ctx.spec.payload);
          await writeFrame(socket, reply);
        }
      };
      serve().catch((error: Error) => {
        if (!/before a frame arrived/.test(error.message)) broken = `a client closed its connection mid-request (${error.message})`;
        queues.clientLeft(error.message);
        socket.destroy();
      });
    });
    await listenPrivately(server, { path: socketPath });
    await ctx.start({ managerPath: socketPath });
  },

  async sender(ctx, data) {
    const peers = await ctx.ready();
    const client = await BrokerClient.connect(String(peers.managerPath), bodyLeadFor(ctx.spec));
    await ctx.armed();
    const startNs = nowNs();
    const request = [head(OP.append), ...serializerFor(ctx.spec).encode(data)];
    const encodeSeconds = secondsBetween(startNs, nowNs());
    if (ctx.fault === 'close-early') await client.abandon(request);
    else await client.call(request);
    const sendSeconds = secondsBetween(startNs, nowNs());
    client.close();
    return { startNs, encodeSeconds, sendSeconds, bytes: encodedLength(request) };
  },

  async receiver(ctx) {
    const peers = await ctx.ready();
    const client = await BrokerClient.connect(String(peers.managerPath), bodyLeadFor(ctx.spec));
    await ctx.armed();
    while ((await client.call([head(OP.len)])).readUInt32LE(4) === 0) {
      if (ctx.stopping()) throw new Error('stopped before the list had an item');
    }
    const recvStartNs = nowNs();
    const reply = await client.call([head(OP.pop)]);
    const decodeStartNs = nowNs();
    const data = serializerFor(ctx.spec).decode(reply.subarray(HEAD_BYTES), ctx.spec.payload);
    const heldNs = nowNs();
    client.close();
    return {
      data,
      heldNs,
      recvSeconds: secondsBetween(recvStartNs, heldNs),
      decodeSeconds: secondsBetween(decodeStartNs, heldNs),
      readWay: client.readWay,
    };
  },

  /**
   * Messages: each side is a client of the broker, as two processes sharing two Manager().Queue()
   * proxies. send is one put call (it returns when the broker has the item), receive one get call
   * (the broker holds it until an item is there). The queues have no bound, so the stream pattern
   * grants the sender credit.
   */
  async messages(ctx) {
    const peers = await ctx.ready();
    const client = await BrokerClient.connect(String(peers.managerPath), bodyLeadFor(ctx.spec));
    await ctx.armed();
    return queueEnd(client, ctx.spec, ctx.role === 'sender' ? QUEUE.toReceiver : QUEUE.toSender);
  },
};

/** A client's message end: put on `outQueue`, get from the other queue, both in the run's codec. */
function queueEnd(client: BrokerClient, spec: TransferSpec, outQueue: number): MessageEnd {
  const codec = serializerFor(spec);
  const putHead = queueHead(OP.put, outQueue);
  const getRequest = [queueHead(OP.get, outQueue === QUEUE.toReceiver ? QUEUE.toSender : QUEUE.toReceiver)];
  // A call that fails because the broker is gone says so; a refusal already names the broker.
  const named = (error: Error): never => {
    throw /broker/.test(error.message) ? error : new Error(`lost the connection to the broker: ${error.message}`);
  };
  return {
    flowControl: 'credit',
    readWay: client.readWay,
    send: (message) => client.call([putHead, ...codec.encode(message)]).then(() => undefined, named),
    async receive() {
      const reply = await client.call(getRequest).catch(named);
      return codec.decode(reply.subarray(HEAD_BYTES), spec.payload);
    },
    wireBytes: (message) => FRAME_HEADER_BYTES + HEAD_BYTES + encodedLength(codec.encode(message)),
    close: () => client.close(),
  };
}
