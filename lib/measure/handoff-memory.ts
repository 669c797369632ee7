import { loadNative } from './shared-memory';

/**
 * Memory a process builds in and gives to another, whole: the native side of the hand-over
 * transports (lib/measure/transports/handoff.ts), in native/handoff*.c — memfds and their seals,
 * named regions, read-only mappings, and a Unix socket that carries a descriptor (SCM_RIGHTS,
 * which Node's own sockets cannot send). Plus the 16-byte header a hand-over sends, which the
 * CPython peer (lib/measure/cpython/pair_peer.py) reads and writes too.
 *
 * Every function throws one line naming the call (and strerror for a system call). Mappings are
 * external ArrayBuffers: the pages are unmapped when the buffer is collected. Writing into a
 * read-only one is not an exception but SIGSEGV, which ends the process: that is the refusal.
 */
export interface HandoffNative {
  /** memfd_create (sealable, close-on-exec), sized to `bytes` and mapped read-write, shared; not populated. */
  memfdCreate(bytes: number): { fd: number; buffer: ArrayBuffer };
  /** Seal a memfd: F_SEAL_FUTURE_WRITE | SHRINK | GROW | SEAL (why not F_SEAL_WRITE: native/handoff_memfd.c). */
  seal(fd: number): void;
  /** The seals a memfd carries (F_GET_SEALS). */
  seals(fd: number): number;
  /** mprotect(PROT_READ) a mapping made by memfdCreate or createNamed: the sender's promise not to write again. */
  protect(buffer: ArrayBuffer): void;
  /** Map `bytes` of a descriptor read-only, shared, not populated; a file smaller than `bytes` is a RangeError. Keeps fd open. */
  mapReadOnly(fd: number, bytes: number, into?: ArrayBuffer): ArrayBuffer;
  /**
   * Address space for a view to come (inaccessible until a hand-over is mapped into it by
   * mapReadOnly or mapPathReadOnly with `into`): the receiver makes it before the clock, so the
   * hand-over wraps no new ArrayBuffer — V8 collects garbage when 400 MB of external memory appear.
   */
  reserve(bytes: number): ArrayBuffer;
  /** Block until the other end of a connected socket closes it (or fails). */
  awaitPeerClose(sockFd: number): void;
  /** The same for a path, opened read-only and closed again. */
  mapPathReadOnly(filePath: string, bytes: number, into?: ArrayBuffer): ArrayBuffer;
  /** A new 0600 file (O_EXCL: never an existing one), sized and mapped read-write, shared; removed again if that fails. */
  createNamed(filePath: string, bytes: number): ArrayBuffer;
  closeFd(fd: number): void;
  /** A listening Unix stream socket whose file is born 0600; backlog 1. */
  unixListen(socketPath: string): number;
  /** Blocking accept. */
  unixAccept(listenFd: number): number;
  /** Blocking connect. */
  unixConnect(socketPath: string): number;
  /** One sendmsg: the header bytes, and `fd` as SCM_RIGHTS unless it is -1. Blocking. */
  sendHandoff(sockFd: number, header: Uint8Array, fd: number): void;
  /**
   * One non-blocking recvmsg: null when nothing is there yet; throws on end of stream or a message
   * that is not `headerBytes` bytes with at most one descriptor. fd is -1 when none came.
   */
  recvHandoff(sockFd: number, headerBytes: number): { header: Uint8Array; fd: number } | null;
}

/** The hand-over's functions: native/handoff.c, registered into the one addon by native/shm.c. */
export function handoffNative(): HandoffNative {
  return loadNative() as unknown as HandoffNative;
}

/**
 * The hand-over header, 16 bytes, little-endian:
 *   0–3  magic "IPCH" (uint32 0x48435049)
 *   4–7  kind, uint32: 1 = a memfd passed with this message (SCM_RIGHTS), 2 = a name (the receiver
 *        opens the region the runner named, `prepared.shmPath`)
 *   8–15 element count (int32 elements), uint64
 */
export const HANDOFF_HEADER_BYTES = 16;
export const HANDOFF_MAGIC = 0x48435049;
export const HANDOFF_KIND = { memfd: 1, name: 2 } as const;
export type HandoffKind = (typeof HANDOFF_KIND)[keyof typeof HANDOFF_KIND];

export interface HandoffHeader {
  kind: HandoffKind;
  sizeElements: number;
}

export function encodeHandoffHeader({ kind, sizeElements }: HandoffHeader): Uint8Array {
  if (kind !== HANDOFF_KIND.memfd && kind !== HANDOFF_KIND.name) throw new Error(`hand-over header: unknown kind ${String(kind)}`);
  if (!Number.isSafeInteger(sizeElements) || sizeElements < 0) {
    throw new Error(`hand-over header: the element count must be a whole number >= 0, not ${String(sizeElements)}`);
  }
  const header = new Uint8Array(HANDOFF_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, HANDOFF_MAGIC, true);
  view.setUint32(4, kind, true);
  view.setBigUint64(8, BigInt(sizeElements), true);
  return header;
}

export function decodeHandoffHeader(header: Uint8Array): HandoffHeader {
  if (header.byteLength !== HANDOFF_HEADER_BYTES) {
    throw new Error(`hand-over header: ${header.byteLength} bytes, expected ${HANDOFF_HEADER_BYTES}`);
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const magic = view.getUint32(0, true);
  if (magic !== HANDOFF_MAGIC)
    throw new Error(`hand-over header: magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x48435049 ("IPCH")`);
  const kind = view.getUint32(4, true);
  if (kind !== HANDOFF_KIND.memfd && kind !== HANDOFF_KIND.name) {
    throw new Error(`hand-over header: kind ${kind}, expected 1 (memfd) or 2 (name)`);
  }
  const count = view.getBigUint64(8, true);
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`hand-over header: element count ${count} is beyond 2^53 - 1`);
  return { kind, sizeElements: Number(count) };
}
