import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { findTransport } from '../../model/catalog';
import type { TransferSpec } from '../../model/types';
import { nowNs, secondsBetween } from '../clock';
import { serializedBytesBound } from '../payload';
import { createSharedFile, mapSharedFile, regionBytes, regionOf, setFlag, waitForFlag } from '../shared-memory';
import type { Transport } from '../transport';
import { freeSpaceLimit, serializedLimit } from './common';

/**
 * File — the article's exchange through a file: the sender serialises the payload (v8.serialize)
 * into a file in the transfer's private temp dir, then sets a completion flag; the receiver polls
 * the flag, reads the file and decodes. A file has no "complete" marker of its own — a reader could
 * see half a file — hence the flag, a word of shared memory as the article's multiprocessing.Value.
 */
const FLAG_FILE = 'file-flag';

export const file: Transport = {
  info: findTransport('node', 'file')!,
  topology: 'separate',
  limit: (spec: TransferSpec) =>
    serializedLimit(spec) ?? freeSpaceLimit(os.tmpdir(), serializedBytesBound(spec.payload, spec.sizeElements), 'the payload file'),

  prepare(_spec, dirs) {
    const flagPath = path.join(dirs.shmDir, FLAG_FILE);
    createSharedFile(flagPath, regionBytes(0));
    return { flagPath, dataPath: path.join(dirs.tmpDir, 'payload.v8') };
  },

  async sender(ctx, data) {
    const { header } = regionOf(mapSharedFile(String(ctx.prepared.flagPath), regionBytes(0)), 0);
    await ctx.start();
    const startNs = nowNs();
    const body = v8.serialize(data);
    const encodeSeconds = secondsBetween(startNs, nowNs());
    // Fault `close-early`: half the file, then the flag, as a writer that stopped mid-write.
    fs.writeFileSync(String(ctx.prepared.dataPath), ctx.fault === 'close-early' ? body.subarray(0, body.byteLength >> 1) : body, {
      mode: 0o600,
    });
    setFlag(header);
    return { startNs, encodeSeconds, sendSeconds: secondsBetween(startNs, nowNs()), bytes: body.byteLength };
  },

  async receiver(ctx) {
    const { header } = regionOf(mapSharedFile(String(ctx.prepared.flagPath), regionBytes(0)), 0);
    await ctx.start();
    await waitForFlag(header, ctx.stopping);
    const recvStartNs = nowNs();
    const body = fs.readFileSync(String(ctx.prepared.dataPath));
    const decodeStartNs = nowNs();
    let data: unknown;
    try {
      data = v8.deserialize(body);
    } catch (error) {
      throw new Error(`cannot decode the ${body.byteLength}-byte file (truncated or corrupt): ${(error as Error).message}`);
    }
    const heldNs = nowNs();
    return { data, heldNs, recvSeconds: secondsBetween(recvStartNs, heldNs), decodeSeconds: secondsBetween(decodeStartNs, heldNs) };
  },
};
