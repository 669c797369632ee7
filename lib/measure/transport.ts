import type { ChildProcess } from 'node:child_process';
import type { TransportInfo } from '../model/catalog';
import type { Fault, Role, TransferSpec } from '../model/types';
import type { PeerInfo } from './control';
import type { MessageEnd } from './messages/endpoint';
import type { Payload } from './payload';
import type { ReadWay } from './wire';

/**
 * The one small interface every Node transport implements, in one file of lib/measure/transports/.
 * A transport says how its peers are laid out and what each side does; the runner and the peer
 * framework (lib/measure/runner/run-transfer.ts, lib/measure/peer.ts) own spawning, the handshake, timing the build,
 * verification, reporting and teardown.
 */
export interface Transport {
  /** The catalog entry: id, the article's method, mechanism, data constraints. */
  info: TransportInfo;
  /**
   * How the peers are started:
   * - `separate`: one OS process per role, each started by the runner;
   * - `shell-pipe`: sender and receiver started by /bin/sh as `sender | receiver`, so that an
   *   anonymous pipe(2) joins them (Node's own child stdio pipes are socketpairs);
   * - `fork-child`: the runner starts the sender, which forks the receiver with an IPC channel;
   * - `threads`: the runner starts one host process, which runs each role in a worker thread.
   */
  topology: 'separate' | 'shell-pipe' | 'fork-child' | 'threads';
  /** Roles to start; sender and receiver unless said. */
  roles?: Role[];
  /** For `fork-child`: the serialization of the IPC channel. */
  serialization?: 'json' | 'advanced';
  /**
   * What the transport cannot carry, checked before anything is spawned: a one-line reason, or
   * null when the transfer can run.
   */
  limit?(spec: TransferSpec): string | null;
  /** Runner side, before spawning: create what the peers share (a shared-memory file). */
  prepare?(spec: TransferSpec, dirs: TransferDirs): PeerInfo;
  /**
   * Runner side: paths outside the transfer's private dirs that the peers may create (a named
   * region directly in /dev/shm, where Python's SharedMemory looks), removed at every teardown.
   */
  leftovers?(prepared: PeerInfo): string[];
  /**
   * Sender side, for an `int32` payload: the memory the payload is built in, when the transport
   * owns it (a shared mapping it will hand over) — the build then writes the integers straight
   * there, timed as buildSeconds, and `sender` receives this same array. Omitted: a heap array.
   */
  allocate?(ctx: PeerContext, sizeElements: number): Int32Array;
  /** For `threads`: what each worker is given (SharedArrayBuffer, MessagePort) and what is moved. */
  hostSetup?(spec: TransferSpec): Record<'sender' | 'receiver', { shared: unknown; transfer: Transferable[] }>;
  sender(ctx: PeerContext, data: Payload): Promise<SenderReport>;
  receiver(ctx: PeerContext): Promise<ReceiverReport>;
  /**
   * The message patterns: connect this peer's end of a message channel, say ready and armed
   * (ctx.start, or ready then armed around a connect), and return the end once go has come.
   * A transport without it carries one payload only: a message pattern is refused (a `limits` record).
   */
  messages?(ctx: PeerContext): Promise<MessageEnd>;
  /** The manager's broker: serves until the runner stops it. */
  broker?(ctx: PeerContext): Promise<void>;
}

type Transferable = ArrayBuffer | import('node:worker_threads').MessagePort;

/** Private directories the runner made for one transfer and removes afterwards. */
export interface TransferDirs {
  /** A 0700 directory under the OS temp dir: files and Unix sockets. */
  tmpDir: string;
  /** A 0700 directory under /dev/shm: shared-memory files. */
  shmDir: string;
}

/** What a peer's transport code can use. */
export interface PeerContext extends TransferDirs {
  spec: TransferSpec;
  role: Role;
  /** What the runner's prepare() returned. */
  prepared: PeerInfo;
  /** The fault under test; a transport acts on `close-early` (send half, then close its channel). */
  fault: Fault;
  /** For `threads`: what hostSetup gave this worker. */
  shared: unknown;
  /** For `fork-child`, in the sender: the forked receiver. */
  child?: ChildProcess;
  /** Say this peer is set up, with what the others need; resolves with every peer's info merged. */
  ready(info?: PeerInfo): Promise<PeerInfo>;
  /** Say this peer is connected and waiting; resolves when the runner says go. */
  armed(): Promise<void>;
  /** ready() then armed(), for peers with nothing to connect. */
  start(info?: PeerInfo): Promise<PeerInfo>;
  /** True once the runner asked this peer to stop (for polling loops). */
  stopping(): boolean;
}

/** The sender's measurements. `startNs` is the first step of the transfer, after go. */
export interface SenderReport {
  startNs: bigint;
  encodeSeconds: number | null;
  sendSeconds: number;
  /** Bytes that crossed the channel; null where Node does not expose it (structured clone). */
  bytes: number | null;
  memory?: 'fresh' | 'reused' | 'n/a';
  /** Whole copies of the payload this side made (see TransferRecord.copies); omitted: not counted. */
  copies?: number;
}

/** The receiver's measurements, and the data it now holds (the framework verifies it). */
export interface ReceiverReport {
  data: unknown;
  /** When the receiver held the decoded data. */
  heldNs: bigint;
  recvSeconds: number;
  decodeSeconds: number | null;
  /** Whole copies of the payload this side made (see TransferRecord.copies); omitted: not counted. */
  copies?: number;
  /** Who first touched the pages the receiver holds (see TransferRecord.firstTouch); omitted: not said. */
  firstTouch?: 'sender' | 'receiver';
  /** How it read its byte stream (see TransferRecord.readWay); omitted: not a byte stream. */
  readWay?: ReadWay;
}
