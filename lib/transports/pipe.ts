import * as net from 'node:net';
import * as v8 from 'node:v8';
import { findTransport } from '../catalog';
import { nowNs, secondsBetween } from '../clock';
import { FRAME_HEADER_BYTES, FrameReader, writeFrame } from '../frame';
import { Writable } from 'node:stream';
import { serializedBytesBound } from '../payload';
import { Transport } from '../transport';
import { TransferSpec } from '../types';

/**
 * Pipe — the article's multiprocessing.Pipe(duplex=False): an anonymous OS pipe between two
 * processes. /bin/sh creates it (`sender | receiver`, see the runner's `shell-pipe` topology) and
 * hands it to both as fd 5. The sender serialises with V8's serializer (Node's pickle) and writes
 * one length-prefixed frame; like Connection.send, the send includes the serialisation and lasts
 * until the kernel has taken the last byte. Like Connection.recv after poll(), the receive runs
 * from the first byte's arrival to the decoded value.
 */
const PIPE_FD = 5;

/**
 * What one v8.serialize buffer can hold: a Node Buffer is at most buffer.constants.MAX_LENGTH
 * (2^32 bytes on Node 20), so a payload whose serialised form may be larger cannot be sent as one
 * frame. Shared by the transports that serialise the whole payload at once.
 */
export function serializedLimit(spec: TransferSpec): string | null {
  const bytes = serializedBytesBound(spec.payload, spec.sizeElements);
  const maxBytes = require('node:buffer').constants.MAX_LENGTH as number;
  return bytes > maxBytes
    ? `v8.serialize of ${spec.sizeElements} ${spec.payload} elements may need ${bytes} bytes, beyond Node's largest Buffer (${maxBytes} bytes, 4 GiB)`
    : null;
}

/**
 * Fault `close-early`: a frame header announcing the whole body, then only half of it, as a sender
 * that dies or closes its end mid-write leaves it. The stream transports and the manager use it.
 */
export function writeHalfFrame(stream: Writable, body: Uint8Array): Promise<void> {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeBigUInt64LE(BigInt(body.byteLength));
  stream.write(header);
  return new Promise((resolve, reject) => stream.write(body.subarray(0, body.byteLength >> 1), (error) => (error ? reject(error) : resolve())));
}

export const pipe: Transport = {
  info: findTransport('node', 'pipe')!,
  topology: 'shell-pipe',
  limit: serializedLimit,

  async sender(ctx, data) {
    const out = new net.Socket({ fd: PIPE_FD, readable: false, writable: true });
    await ctx.start();
    const startNs = nowNs();
    const body = v8.serialize(data);
    const encodeSeconds = secondsBetween(startNs, nowNs());
    await (ctx.fault === 'close-early' ? writeHalfFrame(out, body) : writeFrame(out, body));
    const sendSeconds = secondsBetween(startNs, nowNs());
    out.end();
    return { startNs, encodeSeconds, sendSeconds, bytes: body.byteLength };
  },

  async receiver(ctx) {
    const input = new net.Socket({ fd: PIPE_FD, readable: true, writable: false });
    const reader = new FrameReader(input);
    await ctx.start();
    const frame = await reader.next();
    const decodeStartNs = nowNs();
    const data = v8.deserialize(frame.body);
    const heldNs = nowNs();
    input.destroy();
    return { data, heldNs, recvSeconds: secondsBetween(frame.firstByteNs, heldNs), decodeSeconds: secondsBetween(decodeStartNs, heldNs) };
  },
};
