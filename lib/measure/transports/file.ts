import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTransport } from '../../model/catalog';
import type { TransferSpec } from '../../model/types';
import { nowNs, secondsBetween } from '../clock';
import { encodedLength } from '../codecs/codec';
import { readFileDirect } from '../direct-read';
import { createSharedFile, mapSharedFile, regionBytes, regionOf, setFlag, waitForFlag } from '../shared-memory';
import type { Transport } from '../transport';
import { bodyLeadFor, freeSpaceLimit, serializerFor } from './common';

/**
 * File — the article's exchange through a file: the sender serialises the payload (the transfer's
 * codec, v8 by default) into a file in the transfer's private temp dir, then sets a completion flag; the receiver polls
 * the flag, reads the file into one buffer of its size (lib/measure/direct-read.ts) and decodes. A file has no "complete" marker of its own — a reader could
 * see half a file — hence the flag, a word of shared memory as the article's multiprocessing.Value.
 */
const FLAG_FILE = 'file-flag';

export const file: Transport = {
  info: findTransport('node', 'file')!,
  topology: 'separate',
  limit: (spec: TransferSpec) =>
    freeSpaceLimit(os.tmpdir(), serializerFor(spec).bytesBound(spec.payload, spec.sizeElements), 'the payload file'),

  prepare(_spec, dirs) {
    const flagPath = path.join(dirs.shmDir, FLAG_FILE);
    createSharedFile(flagPath, regionBytes(0));
    return { flagPath, dataPath: path.join(dirs.tmpDir, 'payload.bin') };
  },

  async sender(ctx, data) {
    const { header } = regionOf(mapSharedFile(String(ctx.prepared.flagPath), regionBytes(0)), 0);
    await ctx.start();
    const startNs = nowNs();
    const chunks = serializerFor(ctx.spec).encode(data);
    const encodeSeconds = secondsBetween(startNs, nowNs());
    const bytes = encodedLength(chunks);
    const fd = fs.openSync(String(ctx.prepared.dataPath), 'wx', 0o600);
    try {
      // Fault `close-early`: half the file, then the flag, as a writer that stopped mid-write.
      if (ctx.fault === 'close-early') fs.writeSync(fd, Buffer.concat(chunks).subarray(0, bytes >> 1));
      else writeAll(fd, chunks);
    } finally {
      fs.closeSync(fd);
    }
    setFlag(header);
    return { startNs, encodeSeconds, sendSeconds: secondsBetween(startNs, nowNs()), bytes };
  },

  async receiver(ctx) {
    const { header } = regionOf(mapSharedFile(String(ctx.prepared.flagPath), regionBytes(0)), 0);
    await ctx.start();
    await waitForFlag(header, ctx.stopping);
    const recvStartNs = nowNs();
    const body = readFileDirect(String(ctx.prepared.dataPath), bodyLeadFor(ctx.spec));
    const decodeStartNs = nowNs();
    let data: unknown;
    try {
      data = serializerFor(ctx.spec).decode(body, ctx.spec.payload);
    } catch (error) {
      throw new Error(`cannot decode the ${body.byteLength}-byte file (truncated or corrupt): ${(error as Error).message}`);
    }
    const heldNs = nowNs();
    return {
      data,
      heldNs,
      recvSeconds: secondsBetween(recvStartNs, heldNs),
      decodeSeconds: secondsBetween(decodeStartNs, heldNs),
      readWay: 'direct',
    };
  },
};

/** Write every chunk, in order, from the chunks' own memory (writeSync may take less than asked). */
function writeAll(fd: number, chunks: readonly Uint8Array[]): void {
  for (const chunk of chunks) {
    for (let offset = 0; offset < chunk.byteLength; ) offset += fs.writeSync(fd, chunk, offset);
  }
}
