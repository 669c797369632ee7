import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import { encodedLength, receiverCopies, senderCopies } from '../codecs/codec';
import type { PeerInfo } from '../control';
import { frameReader } from '../direct-read';
import { openFifoForWriting, readableFd, writableFd } from '../fd-streams';
import { enlargePipe } from '../pipe-size';
import type { Transport } from '../transport';
import { writeFrame } from '../wire';
import { bodyLeadFor, serializerFor, streamMessageEnd, writeHalfFrame } from './common';

/**
 * Pipe — the article's multiprocessing.Pipe(duplex=False): an anonymous OS pipe between two
 * processes. /bin/sh creates it (`sender | receiver`, see the runner's `shell-pipe` topology) and
 * hands it to both as fd 5, which both peers enlarge to 1 MiB (pipe-size.ts). The sender
 * serialises with the transfer's codec (v8, Node's pickle, by default) and writes one
 * length-prefixed frame; like Connection.send, the send includes the serialisation and lasts
 * until the kernel has taken the last byte. Like Connection.recv after poll(), the receive runs
 * from the first byte's arrival to the decoded value.
 */
const PIPE_FD = 5;

export const pipe: Transport = {
  info: findTransport('node', 'pipe')!,
  topology: 'shell-pipe',

  async sender(ctx, data) {
    const out = writableFd(PIPE_FD);
    enlargePipe(PIPE_FD);
    await ctx.start();
    const startNs = nowNs();
    const body = serializerFor(ctx.spec).encode(data);
    const encodeSeconds = secondsBetween(startNs, nowNs());
    await (ctx.fault === 'close-early' ? writeHalfFrame(out, body) : writeFrame(out, body));
    const sendSeconds = secondsBetween(startNs, nowNs());
    out.end();
    return {
      startNs,
      encodeSeconds,
      sendSeconds,
      bytes: encodedLength(body),
      copies: senderCopies(serializerFor(ctx.spec).id, ctx.spec.payload),
    };
  },

  async receiver(ctx) {
    enlargePipe(PIPE_FD);
    const reader = frameReader({ bodyLead: bodyLeadFor(ctx.spec) });
    const input = readableFd(PIPE_FD, reader.onread);
    reader.read(input);
    await ctx.start();
    const frame = await reader.next();
    const decodeStartNs = nowNs();
    const data = serializerFor(ctx.spec).decode(frame.body, ctx.spec.payload);
    const heldNs = nowNs();
    input.destroy();
    return {
      data,
      heldNs,
      recvSeconds: secondsBetween(frame.firstByteNs, heldNs),
      decodeSeconds: secondsBetween(decodeStartNs, heldNs),
      copies: receiverCopies(serializerFor(ctx.spec).id, ctx.spec.payload, reader.way),
      firstTouch: 'receiver',
      readWay: reader.way,
    };
  },

  /**
   * A message pattern needs the way back too: a named pipe (FIFO) in the run's private dir, the
   * same kernel object as pipe(2) with a name, so that each peer can open its end of it.
   */
  prepare(spec, dirs) {
    const none: PeerInfo = {};
    if ((spec.pattern ?? 'transfer') === 'transfer') return none;
    const back = path.join(dirs.tmpDir, 'back.fifo');
    execFileSync('mkfifo', ['-m', '600', back]);
    return { back };
  },

  async messages(ctx) {
    const back = String(ctx.prepared.back);
    if (ctx.role === 'sender') {
      const out = writableFd(PIPE_FD);
      // The read end is opened before ready, without waiting for a writer (O_NONBLOCK), so that the
      // receiver's non-blocking open for writing finds a reader; it is read only after go, when the
      // receiver holds the write end (a FIFO read with no writer yet would be an end of file).
      const backFd = fs.openSync(back, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      await ctx.start();
      return streamMessageEnd(ctx.spec, (onread) => ({ input: readableFd(backFd, onread), output: out }));
    }
    await ctx.ready();
    const end = await streamMessageEnd(ctx.spec, (onread) => ({
      input: readableFd(PIPE_FD, onread),
      output: writableFd(openFifoForWriting(back)),
    }));
    await ctx.armed();
    return end;
  },
};
