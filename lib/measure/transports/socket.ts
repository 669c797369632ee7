import * as net from 'node:net';
import * as path from 'node:path';
import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import { encodedLength, receiverCopies, senderCopies } from '../codecs/codec';
import type { PeerInfo } from '../control';
import { adoptAccepted, frameReader, serverOptions } from '../direct-read';
import type { PeerContext, Transport } from '../transport';
import { writeFrame } from '../wire';
import { bodyLeadFor, listenPrivately, serializerFor, streamMessageEnd, writeHalfFrame } from './common';

/**
 * socket — the article's TCP socket method, over TCP on 127.0.0.1 (`tcp`) and over a Unix domain
 * socket (`unix`). The receiver is the server: it listens on an ephemeral loopback port (never a
 * fixed port, never all interfaces), or on a socket file in the transfer's private 0700 temp dir,
 * and tells the runner where; the sender connects before go. As the article times pickle apart
 * from the socket calls, encode and decode (the transfer's codec, v8 by default) are separate here:
 * send is the write until the kernel took the last byte, recv from the first byte to the last,
 * read straight into the frame's buffer (lib/measure/direct-read.ts; chunked under Bun).
 */
function socketTransport(id: 'tcp' | 'unix'): Transport {
  return {
    info: findTransport('node', id)!,
    topology: 'separate',

    async sender(ctx, data) {
      const peers = await ctx.ready();
      const socket = await connect(addressOf(id, peers));
      await ctx.armed();
      const startNs = nowNs();
      const body = serializerFor(ctx.spec).encode(data);
      const sendStartNs = nowNs();
      await (ctx.fault === 'close-early' ? writeHalfFrame(socket, body) : writeFrame(socket, body));
      const endNs = nowNs();
      socket.end();
      return {
        startNs,
        encodeSeconds: secondsBetween(startNs, sendStartNs),
        sendSeconds: secondsBetween(sendStartNs, endNs),
        bytes: encodedLength(body),
        copies: senderCopies(serializerFor(ctx.spec).id, ctx.spec.payload),
      };
    },

    async receiver(ctx) {
      const { server, info } = await listen(id, ctx);
      const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
      await ctx.ready(info);
      const connection = await accepted;
      server.close(); // one peer only: nobody else may connect once the sender has
      const reader = frameReader({ bodyLead: bodyLeadFor(ctx.spec) });
      const socket = adoptAccepted(connection, reader.onread);
      reader.read(socket);
      await ctx.armed();
      const frame = await reader.next();
      const decodeStartNs = nowNs();
      const data = serializerFor(ctx.spec).decode(frame.body, ctx.spec.payload);
      const heldNs = nowNs();
      socket.destroy();
      return {
        data,
        heldNs,
        recvSeconds: secondsBetween(frame.firstByteNs, frame.lastByteNs),
        decodeSeconds: secondsBetween(decodeStartNs, heldNs),
        copies: receiverCopies(serializerFor(ctx.spec).id, ctx.spec.payload, reader.way),
        firstTouch: 'receiver',
        readWay: reader.way,
      };
    },

    /**
     * Messages: the same connection both ways, one frame per message, Nagle's algorithm off
     * (setNoDelay, as request/response code sets it: otherwise a small answer waits for an ACK).
     */
    async messages(ctx) {
      if (ctx.role === 'sender') {
        const peers = await ctx.ready();
        const end = await streamMessageEnd(ctx.spec, async (onread) => {
          const socket = await connect(addressOf(id, peers), onread);
          return { input: socket.setNoDelay(true), output: socket };
        });
        await ctx.armed();
        return end;
      }
      const { server, info } = await listen(id, ctx);
      const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
      await ctx.ready(info);
      const connection = await accepted;
      server.close();
      const end = await streamMessageEnd(ctx.spec, (onread) => {
        const socket = adoptAccepted(connection, onread).setNoDelay(true);
        return { input: socket, output: socket };
      });
      await ctx.armed();
      return end;
    },
  };
}

/** Where the receiver listens, from its ready info. */
export function addressOf(id: 'tcp' | 'unix', peers: PeerInfo): { host: string; port: number } | { path: string } {
  return id === 'tcp' ? { host: '127.0.0.1', port: Number(peers.port) } : { path: String(peers.path) };
}

/** Connect; `onread` (a direct frame reader's) makes the socket read into the reader's buffers. */
function connect(address: { host: string; port: number } | { path: string }, onread?: net.OnReadOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = net.connect({ ...address, onread } as net.NetConnectOpts, () => resolve(socket));
    socket.once('error', reject);
  });
}

async function listen(id: 'tcp' | 'unix', ctx: PeerContext): Promise<{ server: net.Server; info: Record<string, string | number> }> {
  const server = net.createServer(serverOptions());
  // The socket file lives in the runner's private 0700 dir, so no other user can even reach it.
  const where = id === 'tcp' ? { host: '127.0.0.1', port: 0 } : { path: path.join(ctx.tmpDir, 'receiver.sock') };
  await listenPrivately(server, where);
  const address = server.address();
  return { server, info: id === 'tcp' ? { port: (address as net.AddressInfo).port } : { path: (where as { path: string }).path } };
}

export const tcp = socketTransport('tcp');
export const unix = socketTransport('unix');
