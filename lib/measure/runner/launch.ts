import { type ChildProcess, spawn } from 'node:child_process';
import type * as net from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT } from '../../model/paths';
import type { Fault, Role, TransferSpec } from '../../model/types';
import { onLines, type PeerInfo, type PeerMessage } from '../control';
import type { PeerConfig } from '../peer';
import { peerLaunch } from '../peer-build';
import type { TransferDirs, Transport } from '../transport';
import type { JsEngine } from './engines';

/** How one peer process starts: a binary, the arguments before the peer's config, what its environment adds. */
export interface PeerCommand {
  binary: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * The command of a JavaScript runtime's peer: its binary, its heap flag, ts-node's hook when Node
 * runs the peer from source. Built by the drivers before the transfer starts, so a rebuild of the
 * peers (lib/ changed) is never the transfer's time.
 */
export function jsPeerCommand(engine: JsEngine, heapLimitMb: number): PeerCommand {
  const launch = peerLaunch();
  // ts-node's hook (peers running from source) is Node's: the other runtimes run TypeScript themselves.
  const hook = engine.runtime === 'node' ? launch.nodeArgs : [];
  return { binary: engine.binary() as string, args: [...engine.argsBefore(heapLimitMb), ...hook, launch.entry] };
}

/**
 * Spawning the peers of one transfer of a JavaScript runtime (its binary: engines.ts) in the transport's topology: each process in its own
 * process group, each role's control channel (lib/measure/control.ts) a socketpair on fd 3 + i.
 * This module starts processes and wires their events to the caller; the handshake, teardown and
 * the record are ActiveTransfer's (js-transfer.ts).
 */

/** The processes of one transfer, filled in as each is spawned (so teardown finds every one, even if a later spawn throws). */
export interface LaunchedPeers {
  /** Every process the runner started: one per role, or the host, or sh, or the forking sender. */
  readonly children: ChildProcess[];
  /** Each role's control channel; roles in one process (threads) share it. */
  readonly sockets: Map<Role, net.Socket>;
  /** Which child process runs each role, and whether it is that role's own process (not sh, not its parent). */
  readonly processOf: Map<Role, { child: ChildProcess; own: boolean }>;
  /** The last 4000 characters each child wrote on stderr. */
  readonly stderrTail: Map<ChildProcess, string>;
}

/** An empty LaunchedPeers, before anything is spawned. */
export function noPeers(): LaunchedPeers {
  return { children: [], sockets: new Map(), processOf: new Map(), stderrTail: new Map() };
}

/** What to start: the transfer, its topology and roles, and what every peer is configured with. */
export interface LaunchRequest {
  spec: TransferSpec;
  topology: Transport['topology'];
  roles: Role[];
  dirs: TransferDirs;
  /** What the transport's prepare() returned. */
  prepared: PeerInfo;
  fault: Fault;
  heapLimitMb: number;
  /** Echo the peers' stderr on ours. */
  verbose: boolean;
  /**
   * How each role's process starts: the same runtime for both, or one each for a pair across
   * runtimes. Topologies with one process for both roles (threads, fork-child) use the sender's.
   */
  commands: Record<'sender' | 'receiver', PeerCommand>;
}

/** Where the launched processes' events go. */
export interface LaunchEvents {
  /** A message from a peer on its control channel. */
  onMessage(message: PeerMessage): void;
  /** The control channel of these roles closed (their process ended, or teardown destroyed it). */
  onChannelClosed(roles: Role[]): void;
  /** A child exited: its signal name ("SIGKILL") or exit code ("1"). */
  onExit(child: ChildProcess, status: string): void;
  /** A child could not be started (one line). */
  onSpawnError(reason: string): void;
}

/** Start the peers of `request` in its topology, recording each process in `launched` as it is spawned. */
export function spawnPeers(request: LaunchRequest, launched: LaunchedPeers, events: LaunchEvents): void {
  const { dirs, spec, fault, heapLimitMb, prepared } = request;
  const config = (role: PeerConfig['role']): string =>
    JSON.stringify({ ...dirs, spec, role, fault, heapLimitMb, prepared } satisfies PeerConfig);
  const { sender, receiver } = request.commands;
  const commandOf = (role: Role) => (role === 'receiver' ? receiver : sender);
  const stdio = (controls: number) => ['ignore', 'ignore', 'pipe', ...Array<'pipe'>(controls).fill('pipe')] as ('ignore' | 'pipe')[];
  const start = (command: string, args: string[], pipes: ('ignore' | 'pipe')[], roles: (Role | 'host')[], env?: NodeJS.ProcessEnv) =>
    launchOne(command, args, pipes, roles, request.verbose, launched, events, env);
  switch (request.topology) {
    case 'separate':
      for (const role of request.roles) {
        const command = commandOf(role);
        start(command.binary, [...command.args, config(role)], stdio(1), [role], command.env);
      }
      break;
    case 'fork-child':
      start(sender.binary, [...sender.args, config('sender')], stdio(2), ['sender', 'receiver'], sender.env);
      break;
    case 'threads':
      start(sender.binary, [...sender.args, config('host')], stdio(1), ['host'], sender.env);
      break;
    case 'shell-pipe': {
      // sh makes the anonymous pipe(2) of `sender | receiver`; the pipe becomes fd 5 of both
      // (so nothing else writes into it), each peer's control channel its fd 3. The peers' command
      // lines travel as positional parameters ("$@"), never inside the script: the two configs, the
      // sender command's word count n, the sender's words, then the receiver's (two runtimes may
      // join one pipe). The sender's side appends its first n words to "$@" and drops the rest; the
      // receiver's side drops the first n. Each side's subshell starts its peer in the background,
      // closes its own copies of the pipe and control fds (so a peer that closes or dies shows at
      // once), waits, and reports the peer's exit status on stderr (128 + n: killed by signal n),
      // since only sh sees it. The fds move with `exec` inside each group: a redirection on the
      // group itself would make sh keep a saved copy of the control fd (as fd 10), and a dead
      // peer's channel would never close.
      const script =
        'sender="$1"; receiver="$2"; n="$3"; shift 3\n' +
        '{ exec 4>&- 5>&1 >/dev/null; total=$#; i=0; for a in "$@"; do i=$((i + 1)); if [ "$i" -le "$n" ]; then set -- "$@" "$a"; fi; done; shift "$total";' +
        ' "$@" "$sender" & exec 5>&- 3>&-; wait $!; echo "ipc-lab-exit sender $?" >&2; } |' +
        ' { exec 3>&4 4>&- 5<&0 </dev/null; shift "$n"; "$@" "$receiver" & exec 5<&- 3>&-; wait $!; echo "ipc-lab-exit receiver $?" >&2; } &\n' +
        'exec 3>&- 4>&-\nwait\n';
      const senderWords = [sender.binary, ...sender.args];
      const receiverWords = [receiver.binary, ...receiver.args];
      const args = ['-c', script, 'sh', config('sender'), config('receiver'), String(senderWords.length), ...senderWords, ...receiverWords];
      start('/bin/sh', args, stdio(2), ['sender', 'receiver'], { ...sender.env, ...receiver.env });
      break;
    }
  }
}

/** Spawn one process in its own process group; `roles[i]` talks on fd 3 + i. */
function launchOne(
  command: string,
  args: string[],
  stdio: ('ignore' | 'pipe')[],
  roles: (Role | 'host')[],
  verbose: boolean,
  launched: LaunchedPeers,
  events: LaunchEvents,
  extraEnv: NodeJS.ProcessEnv = {},
): void {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    detached: true, // its own process group: teardown kills the group, grandchildren included
    stdio,
    // NO_COLOR: Deno colours its error messages, which become a record's reason.
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'), NO_COLOR: '1', ...extraEnv },
  });
  launched.children.push(child);
  launched.stderrTail.set(child, '');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    if (verbose) process.stderr.write(text);
    launched.stderrTail.set(child, ((launched.stderrTail.get(child) ?? '') + text).slice(-4000));
  });
  child.on('error', (error) => events.onSpawnError(`cannot start ${command}: ${error.message}`));
  child.on('exit', (code, signal) => events.onExit(child, signal ?? String(code)));
  const owned: Role[] = roles[0] === 'host' ? ['sender', 'receiver'] : (roles as Role[]);
  const own = (role: Role): boolean => command !== '/bin/sh' && (roles[0] === 'host' || role === roles[0]);
  for (const role of owned) launched.processOf.set(role, { child, own: own(role) });
  roles.forEach((role, i) => {
    const socket = child.stdio[3 + i] as net.Socket;
    const mine: Role[] = role === 'host' ? owned : [role];
    for (const r of mine) launched.sockets.set(r, socket);
    onLines(socket, (message) => events.onMessage(message as PeerMessage));
    socket.on('error', () => undefined);
    socket.on('close', () => events.onChannelClosed(mine));
  });
}
