import type { Readable, Writable } from 'node:stream';
import type { Role } from '../model/types';
import type { RoundTripSummary } from './messages/histogram';
import type { ReadWay } from './wire';

/**
 * The control channel between the runner and each peer: JSON lines over a socketpair that the
 * runner creates as the peer's file descriptor 3. It carries only small messages (ready, go,
 * results); the payload never travels on it. When the runner dies, the peer sees the channel end
 * and exits, so a killed runner leaves no peer behind.
 */
export type PeerInfo = Record<string, string | number | boolean>;

/** Timings and facts a peer reports when its part of the transfer is done. */
export interface PeerResult {
  role: Role;
  /** Monotonic ns as decimal strings (JSON has no bigint). */
  startNs?: string;
  heldNs?: string;
  buildSeconds?: number | null;
  encodeSeconds?: number | null;
  decodeSeconds?: number | null;
  sendSeconds?: number | null;
  recvSeconds?: number | null;
  verifySeconds?: number | null;
  /** Null when verified, else why not. */
  verifyError?: string | null;
  bytes?: number | null;
  memory?: 'fresh' | 'reused' | 'n/a';
  /** Whole copies of the payload this peer made (see TransferRecord.copies); omitted: not counted. */
  copies?: number;
  /** The receiver: who first touched the pages it holds (see TransferRecord.firstTouch). */
  firstTouch?: 'sender' | 'receiver';
  /** The receiver: how it read its byte stream (see TransferRecord.readWay). */
  readWay?: ReadWay;
  /** The peer's runtime version, as a CPython pair peer reports it (the runner records the version it probed before the start). */
  runtimeVersion?: string;
  peakRssBytes: number;
  /** A message pattern: CPU seconds (user + system) this peer spent per measured message. */
  cpuSecondsPerMessage?: number;
  /** A round trip (the sender): the distribution of its measured round trips. */
  roundTrip?: RoundTripSummary | null;
}

export type PeerMessage =
  | { type: 'ready'; role: Role; info: PeerInfo; pid: number }
  | { type: 'armed'; role: Role }
  | { type: 'result'; result: PeerResult }
  | { type: 'failed'; role: Role; phase: string; error: string };

export type RunnerMessage = { type: 'peers'; info: PeerInfo } | { type: 'go' } | { type: 'stop' };

/** Read JSON lines from a socket; each whole line becomes one message. */
export function onLines(socket: Readable, handle: (message: unknown) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() !== '') {
        try {
          handle(JSON.parse(line));
        } catch {
          // A line that is not JSON is not ours (a peer wrote to the wrong fd): ignore it.
        }
      }
      newline = buffered.indexOf('\n');
    }
  });
}

export function sendLine(socket: Writable, message: PeerMessage | RunnerMessage): void {
  if (!socket.destroyed) socket.write(JSON.stringify(message) + '\n');
}
