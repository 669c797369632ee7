import type { MessagePort } from 'node:worker_threads';
import { onLines, type PeerMessage, type RunnerMessage, sendLine } from './control';
import { duplexFd } from './fd-streams';

/**
 * A peer's link to the runner (see peer.ts): the control channel on fd 3 in a peer process, the
 * parent port in a worker thread, behind one small interface.
 */

/** A two-way message link to the runner: fd 3 in a process, the parent port in a worker. */
export interface Link {
  send(message: PeerMessage): void;
  onMessage(handle: (message: RunnerMessage) => void): void;
  close(): Promise<void>;
}

/** The link of a peer process: its control channel on `fd` (3), a line of JSON per message. */
export function socketLink(fd: number): Link {
  const { input, output } = duplexFd(fd);
  // Once the peer is leaving, a late report (a send that failed after stop) is dropped: writing
  // it would raise "write after end", and leaving at once on that error would skip what the peer
  // still waits for (a forking sender telling how its receiver ended).
  let closing: Promise<void> | null = null;
  // The runner is gone when this channel ends or fails: nothing is left to report to, so leave at
  // once — unless the peer is already leaving (the runner's side ends in answer to ours).
  const runnerGone = () => {
    if (!closing) process.exit(1);
  };
  input.on('end', runnerGone);
  input.on('error', runnerGone);
  output.on('error', runnerGone);
  return {
    send: (message) => {
      if (!closing) sendLine(output, message);
    },
    onMessage: (handle) => onLines(input, (message) => handle(message as RunnerMessage)),
    close: () => (closing ??= new Promise((resolve) => output.end(resolve))),
  };
}

/** The link of a worker thread: messages to and from its host process through the parent port. */
export function portLink(port: MessagePort): Link {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (handle) => port.on('message', handle),
    close: async () => undefined,
  };
}
