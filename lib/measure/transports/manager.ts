import * as net from 'node:net';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import type { Transport } from '../transport';
import { FrameReader, writeFrame } from '../wire';
import { listenPrivately, serializedLimit, writeHalfFrame } from './common';

/**
 * Manager — the article's multiprocessing.Manager().list(): a third process owns the list, and
 * sender and receiver change it only through calls to that process (SyncManager proxies).
 * Here the broker listens on a Unix socket in the transfer's private dir (SyncManager's default
 * on Linux is an AF_UNIX socket too) and answers length-prefixed V8 frames:
 * {op: 'append', value} | {op: 'len'} | {op: 'pop'}. The payload is decoded into the broker's
 * heap on append and encoded again on pop, as the manager's server unpickles and re-pickles it.
 * send is the append call until the broker's reply; recv the pop call, decode included; the
 * receiver polls len() first, as the article does.
 */
type Request = { op: 'append'; value: unknown } | { op: 'len' } | { op: 'pop' };
type Reply = { ok: true; value?: unknown } | { ok: false; error: string };

/** One round trip: send a request frame, wait for the reply frame. */
class BrokerClient {
  private readonly reader: FrameReader;
  constructor(private readonly socket: net.Socket) {
    this.reader = new FrameReader(socket);
  }
  static connect(socketPath: string): Promise<BrokerClient> {
    return new Promise((resolve, reject) => {
      const socket: net.Socket = net.connect(socketPath, () => resolve(new BrokerClient(socket)));
      socket.once('error', reject);
    });
  }
  async call(body: Uint8Array): Promise<{ reply: Buffer; firstByteNs: bigint }> {
    await writeFrame(this.socket, body);
    const frame = await this.reader.next();
    return { reply: frame.body, firstByteNs: frame.firstByteNs };
  }
  /** Fault `close-early`: half a request, then hang up. */
  async abandon(body: Uint8Array): Promise<void> {
    await writeHalfFrame(this.socket, body);
    this.socket.end();
  }
  close(): void {
    this.socket.destroy();
  }
}

function decodeReply(body: Buffer): unknown {
  const reply = v8.deserialize(body) as Reply;
  if ('error' in reply) throw new Error(`the broker refused: ${reply.error}`); // 'in': tslab checks without strictNullChecks
  return reply.value;
}

export const manager: Transport = {
  info: findTransport('node', 'manager')!,
  topology: 'separate',
  roles: ['broker', 'sender', 'receiver'],
  limit: serializedLimit,

  async broker(ctx) {
    const items: unknown[] = [];
    // A client that hung up mid-request broke the list's contract: every later call is refused
    // with why, so the other side fails at once instead of polling an empty list until the timeout.
    let broken: string | null = null;
    const socketPath = path.join(ctx.tmpDir, 'manager.sock');
    const server = net.createServer((socket) => {
      const reader = new FrameReader(socket);
      const serve = async (): Promise<void> => {
        for (;;) {
          const frame = await reader.next();
          const request = v8.deserialize(frame.body) as Request;
          let reply: Reply;
          if (broken) reply = { ok: false, error: broken };
          else if (request.op === 'append') {
            items.push(request.value);
            reply = { ok: true };
          } else if (request.op === 'len') reply = { ok: true, value: items.length };
          else if (request.op === 'pop' && items.length > 0) reply = { ok: true, value: items.pop() };
          else reply = { ok: false, error: `cannot ${request.op} an empty list` };
          await writeFrame(socket, v8.serialize(reply));
        }
      };
      serve().catch((error: Error) => {
        // A client that went away between calls ends its session only; one that left mid-frame broke the list.
        if (!/before a frame arrived/.test(error.message)) broken = `a client closed its connection mid-request (${error.message})`;
        socket.destroy();
      });
    });
    await listenPrivately(server, { path: socketPath });
    await ctx.start({ managerPath: socketPath });
  },

  async sender(ctx, data) {
    const peers = await ctx.ready();
    const client = await BrokerClient.connect(String(peers.managerPath));
    await ctx.armed();
    const startNs = nowNs();
    const body = v8.serialize({ op: 'append', value: data } satisfies Request);
    const encodeSeconds = secondsBetween(startNs, nowNs());
    if (ctx.fault === 'close-early') await client.abandon(body);
    else decodeReply((await client.call(body)).reply);
    const sendSeconds = secondsBetween(startNs, nowNs());
    client.close();
    return { startNs, encodeSeconds, sendSeconds, bytes: body.byteLength };
  },

  async receiver(ctx) {
    const peers = await ctx.ready();
    const client = await BrokerClient.connect(String(peers.managerPath));
    await ctx.armed();
    const lenRequest = v8.serialize({ op: 'len' } satisfies Request);
    while ((decodeReply((await client.call(lenRequest)).reply) as number) === 0) {
      if (ctx.stopping()) throw new Error('stopped before the list had an item');
    }
    const recvStartNs = nowNs();
    const { reply } = await client.call(v8.serialize({ op: 'pop' } satisfies Request));
    const decodeStartNs = nowNs();
    const data = decodeReply(reply);
    const heldNs = nowNs();
    client.close();
    return { data, heldNs, recvSeconds: secondsBetween(recvStartNs, heldNs), decodeSeconds: secondsBetween(decodeStartNs, heldNs) };
  },
};
