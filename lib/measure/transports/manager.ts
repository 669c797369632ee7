import * as net from 'node:net';
import * as path from 'node:path';
import { findTransport } from '../../model/catalog';
import type { PayloadKind } from '../../model/types';
import { nowNs, secondsBetween } from '../clock';
import { type Codec, encodedLength } from '../codecs/codec';
import type { Transport } from '../transport';
import { FrameReader, writeFrame } from '../wire';
import { listenPrivately, serializerFor, writeHalfFrame } from './common';

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
 */
const HEAD_BYTES = 8;
const OP = { append: 1, len: 2, pop: 3 } as const;
const STATUS = { ok: 1, refused: 0 } as const;

/** An 8-byte head whose first byte is `code`, and for len replies the count in bytes 4–7. */
function head(code: number, count = 0): Buffer {
  const bytes = Buffer.alloc(HEAD_BYTES);
  bytes[0] = code;
  bytes.writeUInt32LE(count, 4);
  return bytes;
}

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
  /** A request; resolves with the reply's body after its head (throws when the broker refused). */
  async call(chunks: readonly Uint8Array[]): Promise<Buffer> {
    await writeFrame(this.socket, chunks);
    const reply = (await this.reader.next()).body;
    if (reply[0] !== STATUS.ok) throw new Error(`the broker refused: ${reply.subarray(HEAD_BYTES).toString('utf8')}`);
    return reply;
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

/** The broker's answer to one request frame: its list changes as the request says. */
function answer(request: Buffer, items: unknown[], codec: Codec, kind: PayloadKind): Uint8Array[] {
  const op = request[0];
  if (op === OP.append) {
    items.push(codec.decode(request.subarray(HEAD_BYTES), kind));
    return [head(STATUS.ok)];
  }
  if (op === OP.len) return [head(STATUS.ok, items.length)];
  if (op === OP.pop && items.length > 0) return [head(STATUS.ok), ...codec.encode(items.pop() as never)];
  return [head(STATUS.refused), Buffer.from(op === OP.pop ? 'cannot pop an empty list' : `unknown operation ${op}`)];
}

export const manager: Transport = {
  info: findTransport('node', 'manager')!,
  topology: 'separate',
  roles: ['broker', 'sender', 'receiver'],

  async broker(ctx) {
    const codec = serializerFor(ctx.spec);
    const items: unknown[] = [];
    let broken: string | null = null;
    const socketPath = path.join(ctx.tmpDir, 'manager.sock');
    const server = net.createServer((socket) => {
      const reader = new FrameReader(socket);
      const serve = async (): Promise<void> => {
        for (;;) {
          const frame = await reader.next();
          const reply = broken ? [head(STATUS.refused), Buffer.from(broken)] : answer(frame.body, items, codec, ctx.spec.payload);
          await writeFrame(socket, reply);
        }
      };
      serve().catch((error: Error) => {
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
    const client = await BrokerClient.connect(String(peers.managerPath));
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
    return { data, heldNs, recvSeconds: secondsBetween(recvStartNs, heldNs), decodeSeconds: secondsBetween(decodeStartNs, heldNs) };
  },
};
