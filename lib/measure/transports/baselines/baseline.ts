import * as net from 'node:net';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { nowNs, secondsBetween } from '../../clock';
import { adoptAccepted, frameReader, serverOptions } from '../../direct-read';
import { readableFd, writableFd } from '../../fd-streams';
import { toInt32 } from '../../payload';
import { enlargePipe } from '../../pipe-size';
import type { Transport } from '../../transport';
import { type ReadWay, writeFrame } from '../../wire';
import { addressOf } from '../socket';

/**
 * Baselines for `npm run bench`, not transports: the same kinds of channel as the stream
 * transports (an anonymous pipe, TCP on loopback, a Unix socket), carrying the payload's raw bytes
 * — no serializer, the receiver's buffer allocated fresh, once — so the bench can print how close each
 * transport comes to what its channel can do. The received bytes are viewed as an Int32Array, so
 * the framework verifies them like any transfer. Hidden: not in the catalog or the CLI.
 *
 * Each channel comes in the two ways a receiver reads (direct-read.ts): `raw-pipe` reads as the
 * stream transports do (straight into the buffer, unless the runtime cannot), `raw-pipe-chunked`
 * through libuv's 64 KiB chunks and a copy out of each, so the bench shows what the direct read buys.
 * The pipe is enlarged to 1 MiB, as the transport's and the C program's are (pipe-size.ts).
 *
 * To stand for a transfer whose codec encodes E bytes, the bench runs one of these with an int32
 * payload of ⌈E / 4⌉ elements: the same bytes to within 3 (resolveStep, lib/sweep/steps.ts), through the same
 * 8-byte frame header the stream transports write.
 */
function rawBytes(data: Parameters<Transport['sender']>[1]): Uint8Array {
  const packed = toInt32(data);
  return new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
}

function asInt32(body: Buffer): Int32Array {
  // A body is its own allocation (offset 0) or a slice of Node's pool (offsets 8-aligned): aligned for an Int32Array.
  return new Int32Array(body.buffer, body.byteOffset, body.byteLength / 4);
}

/** Send the payload's own bytes as one frame and end the stream: the send, timed from its first step. */
async function sendFrame(out: Writable, data: Parameters<Transport['sender']>[1]) {
  const startNs = nowNs();
  const bytes = rawBytes(data);
  await writeFrame(out, bytes);
  const endNs = nowNs();
  out.end();
  return { startNs, encodeSeconds: null, sendSeconds: secondsBetween(startNs, endNs), bytes: bytes.byteLength };
}

const info = (id: string): Transport['info'] => ({
  id,
  runtime: 'node',
  articleMethod: null,
  peers: 'processes',
  mechanism: 'raw bytes, baseline for the bench',
  payloads: ['int32'],
  codecs: ['none'],
  dataConstraint: 'n/a',
  needsFlag: false,
  timing: 'send = write until the kernel took it; recv = first byte to last',
});

/** `chunked`: always through libuv's chunks; otherwise the runtime's way (READ_WAY). */
type Way = ReadWay | undefined;

function rawPipe(id: string, way: Way): Transport {
  return {
    info: info(id),
    topology: 'shell-pipe',
    async sender(ctx, data) {
      const out = writableFd(5);
      enlargePipe(5);
      await ctx.start();
      return sendFrame(out, data);
    },
    async receiver(ctx) {
      enlargePipe(5);
      const reader = frameReader({ way });
      reader.read(readableFd(5, reader.onread));
      await ctx.start();
      const frame = await reader.next();
      return {
        data: asInt32(frame.body),
        heldNs: nowNs(),
        recvSeconds: secondsBetween(frame.firstByteNs, frame.lastByteNs),
        decodeSeconds: null,
        readWay: reader.way,
      };
    },
  };
}

function rawSocket(id: string, kind: 'tcp' | 'unix', way: Way): Transport {
  return {
    info: info(id),
    topology: 'separate',
    async sender(ctx, data) {
      const peers = await ctx.ready();
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s: net.Socket = net.connect(addressOf(kind, peers) as net.NetConnectOpts, () => resolve(s));
        s.once('error', reject);
      });
      await ctx.armed();
      return sendFrame(socket, data);
    },
    async receiver(ctx) {
      const server = net.createServer(serverOptions());
      const where = kind === 'tcp' ? { host: '127.0.0.1', port: 0 } : { path: path.join(ctx.tmpDir, 'raw.sock') };
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(where, resolve));
      const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
      await ctx.ready(kind === 'tcp' ? { port: (server.address() as net.AddressInfo).port } : { path: (where as { path: string }).path });
      const connection = await accepted;
      server.close();
      const reader = frameReader({ way });
      const socket = adoptAccepted(connection, reader.onread);
      reader.read(socket);
      await ctx.armed();
      const frame = await reader.next();
      socket.destroy();
      return {
        data: asInt32(frame.body),
        heldNs: nowNs(),
        recvSeconds: secondsBetween(frame.firstByteNs, frame.lastByteNs),
        decodeSeconds: null,
        readWay: reader.way,
      };
    },
  };
}

export const rawPipeDirect = rawPipe('raw-pipe', undefined);
export const rawTcpDirect = rawSocket('raw-tcp', 'tcp', undefined);
export const rawUnixDirect = rawSocket('raw-unix', 'unix', undefined);
export const rawPipeChunked = rawPipe('raw-pipe-chunked', 'chunked');
export const rawTcpChunked = rawSocket('raw-tcp-chunked', 'tcp', 'chunked');
export const rawUnixChunked = rawSocket('raw-unix-chunked', 'unix', 'chunked');
