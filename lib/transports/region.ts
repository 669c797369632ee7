import * as path from 'node:path';
import { createSharedFile, mapSharedFile, regionBytes, regionOf, SharedRegion, sharedMemoryRoot } from '../shm';
import { PeerContext, Transport } from '../transport';
import { TransferSpec } from '../types';
import { freeSpaceLimit } from './file';

/**
 * Not a transport: the plumbing that shared-array and raw-array share. Between processes the
 * region is a file in the transfer's private /dev/shm dir, created by the runner and mapped by
 * each peer; between threads it is a SharedArrayBuffer the host hands to both workers. How the
 * bytes are written and read stays in each transport's own file.
 */
export type RegionPlumbing = Pick<Transport, 'topology' | 'limit' | 'prepare' | 'hostSetup'> & {
  /** The peer's view of the shared region. */
  region(ctx: PeerContext): SharedRegion;
};

export function regionPlumbing(threads: boolean, fileName: string): RegionPlumbing {
  if (threads) {
    return {
      topology: 'threads',
      hostSetup(spec: TransferSpec) {
        const buffer = new SharedArrayBuffer(regionBytes(spec.sizeElements));
        return { sender: { shared: buffer, transfer: [] }, receiver: { shared: buffer, transfer: [] } };
      },
      region: (ctx) => regionOf(ctx.shared as SharedArrayBuffer, ctx.spec.sizeElements),
    };
  }
  return {
    topology: 'separate',
    limit: (spec: TransferSpec) => freeSpaceLimit(sharedMemoryRoot(), regionBytes(spec.sizeElements), 'the shared region'),
    prepare(spec: TransferSpec, dirs) {
      const regionPath = path.join(dirs.shmDir, fileName);
      createSharedFile(regionPath, regionBytes(spec.sizeElements));
      return { regionPath };
    },
    region: (ctx) => regionOf(mapSharedFile(String(ctx.prepared.regionPath), regionBytes(ctx.spec.sizeElements)), ctx.spec.sizeElements),
  };
}
