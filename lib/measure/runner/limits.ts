import * as fs from 'node:fs';
import * as os from 'node:os';
import type { TransferSpec } from '../../model/types';
import { payloadHeapBytes, serializedBytesBound } from '../payload';

/**
 * Memory limits of a Node transfer, checked before anything is spawned: the V8 heap each peer
 * gets, and whether the machine and that heap can hold the payload at all.
 */

/**
 * The V8 heap each Node peer gets: room for the payload, its serialised form and the decoded
 * copy several times over (a plain list of 10^8 numbers is 800 MB of heap before any copy), but
 * at least 2 GiB and at most 60 % of the machine's memory.
 */
export function autoHeapLimitMb(spec: TransferSpec): number {
  const wantedBytes = 5 * payloadHeapBytes(spec.payload, spec.sizeElements) + 256 * 2 ** 20;
  const ceilingMb = Math.floor((0.6 * os.totalmem()) / 2 ** 20);
  return Math.min(ceilingMb, Math.max(2048, Math.ceil(wantedBytes / 2 ** 20)));
}

/** Bytes of memory the machine can still give (MemAvailable), or freemem where /proc is missing. */
export function availableMemoryBytes(): number {
  try {
    const match = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    /* not Linux: fall through */
  }
  return os.freemem();
}

/** Refuse in milliseconds what would take minutes and then be killed for lack of memory. */
export function memoryLimit(spec: TransferSpec, heapLimitMb: number, heapLimited = true): string | null {
  // Both peers at their peak: the sender's payload and encoded copy, the receiver's buffer and data.
  const neededBytes = 2 * payloadHeapBytes(spec.payload, spec.sizeElements) + 2 * serializedBytesBound(spec.payload, spec.sizeElements);
  const availableBytes = availableMemoryBytes();
  if (neededBytes > availableBytes) {
    return `needs about ${gib(neededBytes)} of memory in its two peers, the machine has ${gib(availableBytes)} available`;
  }
  if (heapLimited && payloadHeapBytes(spec.payload, spec.sizeElements) * 2 > heapLimitMb * 2 ** 20) {
    return `the payload needs about ${gib(2 * payloadHeapBytes(spec.payload, spec.sizeElements))} of V8 heap, more than the ${heapLimitMb} MiB heap limit: raise --heap-mb`;
  }
  return null;
}

/** 3221225472 → "3.0 GiB". */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
