import * as net from 'node:net';
import * as v8 from 'node:v8';
import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import type { Transport } from '../transport';
import { FrameReader, writeFrame } from '../wire';
import { serializedLimit, writeHalfFrame } from './common';

/**
 * Pipe — the article's multiprocessing.Pipe(duplex=False): an anonymous OS pipe between two
 * processes. /bin/sh creates it (`sender | receiver`, see the runner's `shell-pipe` topology) and
 * hands it to both as fd 5. The sender serialises with V8's serializer (Node's pickle) and writes
 * one length-prefixed frame; like Connection.send, the send includes the serialisation and lasts
 * until the kernel has taken the last byte. Like Connection.recv after poll(), the receive runs
 * from the first byte's arrival to the decoded value.
 */
const PIPE_FD = 5;

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
