import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { onLines, PeerInfo, PeerMessage, PeerResult, RunnerMessage, sendLine } from '../control';
import { payloadHeapBytes, serializedBytesBound } from '../payload';
import { PeerConfig } from '../peer';
import { blankRecord, failRecord, RecordPlace } from '../../model/record';
import { peerLaunch } from '../peer-build';
import { REPO_ROOT } from '../../model/paths';
import * as cpythonRuntime from '../cpython/cpython-driver';
import { sharedMemoryRoot } from '../shared-memory';
import { makePrivateDir } from '../tempdir';
import { Transport, TransferDirs } from '../transport';
import { CPYTHON_TRANSPORTS } from '../../model/catalog';
import { LOADABLE_TRANSPORT_IDS, loadTransport } from '../transports/index';
import { DEFAULT_TIMEOUT_SECONDS, PAYLOADS, Role, RUNTIMES, RunOptions, TransferRecord, TransferSpec } from '../../model/types';
import { checkRunOptionValues, checkTransferSpec } from '../../model/checks';

/**
 * The runner: runs one transfer and always tears it down. It checks the transport's limits, makes
 * private temp dirs, spawns the peers (each in its own process group), waits until every peer is
 * ready and connected, says go, collects the peers' timings, and turns everything — success,
 * a failure, a death, a timeout, an interrupt — into one flat record. Timing happens in the
 * peers, on the shared monotonic clock; the runner itself times nothing.
 */


export const DEFAULT_RUN_OPTIONS: RunOptions = {
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  heapLimitMb: 0,
  fault: 'none',
  python: '',
  verbose: false,
};

/**
 * Check a spec and its options as the CLI checks its flags: a UsageError (one line) for an unknown
 * runtime, transport, payload or fault, or a size or timeout out of range. Spawns nothing.
 */
export function checkTransferRequest(spec: TransferSpec, options: Partial<RunOptions> = {}): void {
  checkTransferSpec(spec, RUNTIMES, PAYLOADS, (runtime) =>
    runtime === 'cpython' ? CPYTHON_TRANSPORTS.map((t) => t.id) : LOADABLE_TRANSPORT_IDS);
  checkRunOptionValues(options);
}

/**
 * Run one transfer of any runtime. A bad spec rejects with a UsageError before anything is
 * spawned; a transfer that fails (limits, a death, a timeout, an interrupt) is a record, never a throw.
 */
export async function runTransfer(
  spec: TransferSpec,
  options: Partial<RunOptions> = {},
  place: RecordPlace = { runId: 'adhoc', repeat: 0, warmup: false },
): Promise<TransferRecord> {
  checkTransferRequest(spec, options);
  const opts: RunOptions = { ...DEFAULT_RUN_OPTIONS, ...options };
  if (spec.runtime === 'cpython') {
    return cpython().runCpythonTransfer(spec, opts, place);
  }
  const record = blankRecord(spec, place);
  let transport: Transport;
  try {
    transport = loadTransport(spec.transport);
  } catch (error) {
    return failRecord(record, 'limits', (error as Error).message);
  }
  const heapLimitMb = opts.heapLimitMb > 0 ? opts.heapLimitMb : autoHeapLimitMb(spec);
  record.heapLimitMb = heapLimitMb;
  const reason = transport.limit?.(spec) ?? memoryLimit(spec, heapLimitMb);
  if (reason) return failRecord(record, 'limits', reason);
  const transfer = new ActiveTransfer(spec, transport, opts, heapLimitMb);
  try {
    await transfer.run();
  } finally {
    await transfer.teardown();
  }
  // After teardown: by then every peer's exit status and last words are in, so a death is named precisely.
  transfer.finish(record);
  return record;
}

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
function availableMemoryBytes(): number {
  try {
    const match = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    /* not Linux: fall through */
  }
  return os.freemem();
}

/** Refuse in milliseconds what would take minutes and then be killed for lack of memory. */
function memoryLimit(spec: TransferSpec, heapLimitMb: number): string | null {
  // Both peers at their peak: the sender's payload and encoded copy, the receiver's buffer and data.
  const neededBytes = 2 * payloadHeapBytes(spec.payload, spec.sizeElements) + 2 * serializedBytesBound(spec.payload, spec.sizeElements);
  const availableBytes = availableMemoryBytes();
  if (neededBytes > availableBytes) {
    return `needs about ${gib(neededBytes)} of memory in its two peers, the machine has ${gib(availableBytes)} available`;
  }
  if (payloadHeapBytes(spec.payload, spec.sizeElements) * 2 > heapLimitMb * 2 ** 20) {
    return `the payload needs about ${gib(2 * payloadHeapBytes(spec.payload, spec.sizeElements))} of V8 heap, more than the ${heapLimitMb} MiB heap limit: raise --heap-mb`;
  }
  return null;
}

/** An exit status that says a signal ended the process: "SIGKILL", or sh's 128 + n. */
function isSignal(status: string | undefined): boolean {
  return status !== undefined && (/^SIG/.test(status) || Number(status) > 128);
}

/** 9 → "SIGKILL": the name of a signal number, as sh reports 128 + n for a process it killed. */
function signalName(signal: number): string {
  const found = Object.entries(os.constants.signals).find(([, n]) => n === signal);
  return found ? found[0] : `signal ${signal}`;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** Every transfer still running in this process, for the exit and interrupt handlers. */
const active = new Set<ActiveTransfer>();
let exitHookInstalled = false;

/**
 * Stop every running transfer now: each ends as a failed record (phase `interrupted`) after its
 * normal teardown. The CLI and the notebook helpers call this on SIGINT/SIGTERM.
 */
export function abortActiveTransfers(reason: string): void {
  for (const transfer of active) transfer.abort(reason);
  cpython().abortCpythonTransfers(reason);
}

/** Transfers running right now, Node and CPython (for tests and the interrupt handlers). */
export function activeTransferCount(): number {
  return active.size + cpython().activeCpythonTransferCount();
}

function cpython(): typeof cpythonRuntime {
  return cpythonRuntime;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the process exits with transfers still running (an uncaught error, or
  // process.exit from a signal handler): kill their process groups and remove their dirs, synchronously.
  process.on('exit', () => {
    for (const transfer of active) transfer.killNowSync();
  });
}

type PeerState = { ready?: PeerInfo; pid?: number; armed?: boolean; result?: PeerResult; closed?: boolean };

class ActiveTransfer {
  private readonly roles: Role[];
  private readonly children: ChildProcess[] = [];
  private readonly sockets = new Map<Role, net.Socket>();
  private readonly peers = new Map<Role, PeerState>();
  private readonly stderrTail = new Map<ChildProcess, string>();
  private dirs: TransferDirs | null = null;
  /** Peers whose control channel closed before they reported, in the order noticed. */
  private readonly deaths: { role: Role; phase: string }[] = [];
  /** Exit status ("SIGKILL", "1") of each child that ended before teardown killed anything. */
  private readonly endedOnItsOwn = new Map<ChildProcess, string>();
  private killing = false;
  /** Which child process runs each role, and whether it is that role's own process (not sh, not its parent). */
  private readonly processOf = new Map<Role, { child: ChildProcess; own: boolean }>();
  private wake: () => void = () => undefined;
  private failure: { phase: string; reason: string } | null = null;
  private phase = 'spawn';
  private torndown = false;

  constructor(
    private readonly spec: TransferSpec,
    private readonly transport: Transport,
    private readonly options: RunOptions,
    private readonly heapLimitMb: number,
  ) {
    this.roles = transport.roles ?? ['sender', 'receiver'];
    for (const role of this.roles) this.peers.set(role, {});
  }

  abort(reason: string): void {
    this.fail('interrupted', reason);
  }

  private fail(phase: string, reason: string): void {
    if (!this.failure) this.failure = { phase, reason };
    this.wake();
  }

  private log(text: string): void {
    if (this.options.verbose) process.stderr.write(`[ipc-lab] ${this.spec.transport} ${this.spec.payload} ${this.spec.sizeElements}: ${text}\n`);
  }

  /** Resolve when `done()` holds, or a failure or the deadline comes first (then false). */
  private async until(done: () => boolean, deadlineMs: number, pendingWhat: () => string): Promise<boolean> {
    while (!done()) {
      if (this.failure) return false;
      const leftMs = deadlineMs - Date.now();
      if (leftMs <= 0) {
        this.fail('timeout', `${pendingWhat()} within the ${this.options.timeoutSeconds} s timeout (phase ${this.phase})`);
        return false;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(leftMs, 1000));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return !this.failure;
  }

  async run(): Promise<void> {
    active.add(this);
    installExitHook();
    peerLaunch(); // a rebuild of the peers (lib/ changed) is not the transfer's time
    const deadlineMs = Date.now() + this.options.timeoutSeconds * 1000;
    try {
      this.dirs = makeDirs();
      const prepared = this.transport.prepare?.(this.spec, this.dirs) ?? {};
      this.spawnPeers(prepared);
      this.phase = 'ready';
      const all = (what: keyof PeerState) => () => this.roles.every((role) => this.peers.get(role)?.[what] !== undefined);
      const missing = (what: keyof PeerState, word: string) => () =>
        `no ${word} from ${this.roles.filter((role) => this.peers.get(role)?.[what] === undefined).join(' and ')}`;
      if (!(await this.until(all('ready'), deadlineMs, missing('ready', '"ready"')))) return;
      const merged: PeerInfo = Object.assign({}, ...this.roles.map((role) => this.peers.get(role)?.ready));
      this.broadcast({ type: 'peers', info: merged });
      if (!(await this.until(all('armed'), deadlineMs, missing('armed', '"connected"')))) return;
      this.phase = 'transfer';
      this.log('go');
      this.injectKill();
      this.broadcast({ type: 'go' });
      const moving: Role[] = ['sender', 'receiver'];
      const done = () => moving.every((role) => this.peers.get(role)?.result);
      const pending = () => `no result from ${moving.filter((role) => !this.peers.get(role)?.result).join(' and ')}`;
      if (!(await this.until(done, deadlineMs, pending))) return;
      if (this.roles.includes('broker')) {
        this.sendTo('broker', { type: 'stop' });
        await this.until(() => Boolean(this.peers.get('broker')?.result), Math.min(deadlineMs, Date.now() + 10_000), () => 'no result from broker');
        this.failure = null; // a broker slow to report its memory does not spoil a finished transfer
        this.deaths.length = 0;
      }
    } catch (error) {
      this.fail(this.phase, (error as Error).message);
    }
  }

  /** Fill the record from what the peers reported, or from the failure (after teardown). */
  finish(record: TransferRecord): void {
    const sender = this.peers.get('sender')?.result;
    const receiver = this.peers.get('receiver')?.result;
    record.buildSeconds = sender?.buildSeconds ?? null;
    record.encodeSeconds = sender?.encodeSeconds ?? null;
    record.sendSeconds = sender?.sendSeconds ?? null;
    record.bytes = sender?.bytes ?? null;
    record.memory = sender?.memory ?? 'n/a';
    record.senderPeakRssBytes = sender?.peakRssBytes ?? null;
    record.recvSeconds = receiver?.recvSeconds ?? null;
    record.decodeSeconds = receiver?.decodeSeconds ?? null;
    record.verifySeconds = receiver?.verifySeconds ?? null;
    record.receiverPeakRssBytes = receiver?.peakRssBytes ?? null;
    record.brokerPeakRssBytes = this.peers.get('broker')?.result?.peakRssBytes ?? null;
    if (sender?.startNs && receiver?.heldNs) {
      record.totalSeconds = Number(BigInt(receiver.heldNs) - BigInt(sender.startNs)) / 1e9;
    }
    // A death is the cause; what the other peer said about it (EPIPE, a closed stream) is the
    // effect, whichever the runner heard first. A peer killed by a signal is the likeliest cause.
    const killed = this.roles.find((role) => !this.peers.get(role)?.result && isSignal(this.exitStatus(role)));
    const death = killed ?? this.deaths[0]?.role;
    if (death && this.failure?.phase !== 'interrupted') {
      const phase = this.deaths.find((d) => d.role === death)?.phase ?? this.failure?.phase ?? 'transfer';
      failRecord(record, phase === 'timeout' ? 'transfer' : phase, this.describeDeath(death));
    } else if (this.failure) {
      failRecord(record, this.failure.phase, this.failure.reason);
    } else if (receiver?.verifyError) {
      failRecord(record, 'verify', `data arrived corrupted: ${receiver.verifyError}`);
    } else {
      record.ok = true;
    }
  }

  private spawnPeers(prepared: PeerInfo): void {
    const dirs = this.dirs as TransferDirs;
    const config = (role: PeerConfig['role']): string =>
      JSON.stringify({ ...dirs, spec: this.spec, role, fault: this.options.fault, heapLimitMb: this.heapLimitMb, prepared } satisfies PeerConfig);
    const node = process.execPath;
    const launch = peerLaunch();
    const nodeArgs = [`--max-old-space-size=${this.heapLimitMb}`, ...launch.nodeArgs, launch.entry];
    const stdio = (controls: number) => ['ignore', 'ignore', 'pipe', ...Array<'pipe'>(controls).fill('pipe')] as ('ignore' | 'pipe')[];
    switch (this.transport.topology) {
      case 'separate':
        for (const role of this.roles) this.launch(node, [...nodeArgs, config(role)], stdio(1), [role]);
        break;
      case 'fork-child':
        this.launch(node, [...nodeArgs, config('sender')], stdio(2), ['sender', 'receiver']);
        break;
      case 'threads':
        this.launch(node, [...nodeArgs, config('host')], stdio(1), ['host']);
        break;
      case 'shell-pipe': {
        // sh makes the anonymous pipe(2) of `sender | receiver`; the pipe becomes fd 5 of both
        // (so nothing else writes into it), each peer's control channel its fd 3. The node command
        // line travels as positional parameters ("$@"), never inside the script. Each side's subshell starts its peer in the background, closes its own copies of the pipe
        // and control fds (so a peer that closes or dies shows at once), waits, and reports the
        // peer's exit status on stderr (128 + n: killed by signal n), since only sh sees it. The fds
        // move with `exec` inside each group: a redirection on the group itself would make sh keep
        // a saved copy of the control fd (as fd 10), and a dead peer's channel would never close.
        const script =
          'sender="$1"; receiver="$2"; shift 2\n' +
          '{ exec 4>&- 5>&1 >/dev/null; "$@" "$sender" & exec 5>&- 3>&-; wait $!; echo "ipc-lab-exit sender $?" >&2; } |' +
          ' { exec 3>&4 4>&- 5<&0 </dev/null; "$@" "$receiver" & exec 5<&- 3>&-; wait $!; echo "ipc-lab-exit receiver $?" >&2; } &\n' +
          'exec 3>&- 4>&-\nwait\n';
        this.launch('/bin/sh', ['-c', script, 'sh', config('sender'), config('receiver'), node, ...nodeArgs], stdio(2), ['sender', 'receiver']);
        break;
      }
    }
  }

  /** Spawn one process in its own process group; `roles[i]` talks on fd 3 + i. */
  private launch(command: string, args: string[], stdio: ('ignore' | 'pipe')[], roles: (Role | 'host')[]): void {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      detached: true, // its own process group: teardown kills the group, grandchildren included
      stdio,
      env: { ...process.env, TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
    });
    this.children.push(child);
    this.stderrTail.set(child, '');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (this.options.verbose) process.stderr.write(text);
      this.stderrTail.set(child, ((this.stderrTail.get(child) ?? '') + text).slice(-4000));
    });
    child.on('error', (error) => this.fail('spawn', `cannot start ${command}: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (!this.killing) this.endedOnItsOwn.set(child, signal ?? String(code));
      this.wake();
    });
    const owned: Role[] = roles[0] === 'host' ? ['sender', 'receiver'] : (roles as Role[]);
    const own = (role: Role): boolean =>
      command !== '/bin/sh' && (roles[0] === 'host' || role === roles[0]);
    for (const role of owned) this.processOf.set(role, { child, own: own(role) });
    roles.forEach((role, i) => {
      const socket = child.stdio[3 + i] as net.Socket;
      const mine: Role[] = role === 'host' ? owned : [role];
      for (const r of mine) this.sockets.set(r, socket);
      onLines(socket, (message) => this.onMessage(message as PeerMessage));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        for (const r of mine) {
          const state = this.peers.get(r);
          if (state && !state.result && !state.closed) {
            state.closed = true;
            if (this.torndown) continue; // stopped by teardown: not a death of its own
            this.deaths.push({ role: r, phase: this.phase });
            this.fail(this.phase, `the ${r} exited before reporting`);
          }
        }
      });
    });
  }

  /**
   * Why a peer's control channel closed before it reported: its exit status (a signal means it
   * was killed), whether it ran out of V8 heap, or its last words on stderr. A peer behind /bin/sh
   * or forked by the sender is not our child: sh, or the sender, writes `ipc-lab-exit <role>
   * <status>` on stderr for it (see spawnPeers and lib/measure/peer.ts).
   */
  private describeDeath(role: Role): string {
    const where = this.processOf.get(role);
    const tail = where ? this.stderrTail.get(where.child) ?? '' : '';
    if (/heap out of memory|Reached heap limit|ERR_WORKER_OUT_OF_MEMORY/.test(tail)) {
      return `the ${role} ran out of memory (V8 heap limit ${this.heapLimitMb} MiB; raise it with --heap-mb)`;
    }
    const status = this.exitStatus(role);
    // Node's last words: the error line, not the stack, the source excerpt or the version banner.
    const noise = /^(ipc-lab-exit |at |Node\.js v\d|\^+$|\S+:\d+$)/;
    const words = tail.split('\n').map((line) => line.trim()).filter((line) => line && !noise.test(line)).pop();
    const said = words ? ` (its last words: ${words.slice(0, 200)})` : '';
    // Worker threads die with their host process: name the process, not one of its threads.
    const who = where?.own && this.transport.topology === 'threads' ? 'host process of the sender and receiver threads' : role;
    // A killed peer had no last words: what stderr holds then is another peer's (or sh's "Killed").
    if (isSignal(status)) return `the ${who} was killed by ${/^SIG/.test(status!) ? status : signalName(Number(status) - 128)} before reporting`;
    if (status) return `the ${who} exited with code ${status} before reporting${said}`;
    return `the ${role}'s control channel closed before it reported (its process ended, exit status unknown)${said}`;
  }

  /** How a role's process ended on its own: `ipc-lab-exit` from sh or the forking sender, else our child's status. */
  private exitStatus(role: Role): string | undefined {
    const where = this.processOf.get(role);
    if (!where) return undefined;
    const tail = this.stderrTail.get(where.child) ?? '';
    const reported = [...tail.matchAll(new RegExp(`^ipc-lab-exit ${role} (\\S+)$`, 'gm'))].pop()?.[1];
    return reported ?? (where.own ? this.endedOnItsOwn.get(where.child) : undefined);
  }

  private onMessage(message: PeerMessage): void {
    switch (message.type) {
      case 'ready': {
        const state = this.peers.get(message.role);
        if (state) {
          state.ready = message.info;
          state.pid = message.pid;
        }
        this.log(`${message.role} ready`);
        break;
      }
      case 'armed':
        this.peers.get(message.role)!.armed = true;
        break;
      case 'result':
        this.peers.get(message.result.role)!.result = message.result;
        this.log(`${message.result.role} reported`);
        break;
      case 'failed':
        this.fail(message.phase, `the ${message.role} failed: ${message.error}`);
        break;
    }
    this.wake();
  }

  private broadcast(message: RunnerMessage): void {
    for (const socket of new Set(this.sockets.values())) sendLine(socket, message);
  }

  private sendTo(role: Role, message: RunnerMessage): void {
    const socket = this.sockets.get(role);
    if (socket) sendLine(socket, message);
  }

  /**
   * Fault injection: SIGKILL one peer as go is sent, so the others start a transfer whose
   * counterpart is gone. Killed just before go, not at some delay after it: a small transfer (a
   * zero-copy move takes microseconds) could otherwise finish first and the fault go untested.
   */
  private injectKill(): void {
    const target = ({ 'kill-sender': 'sender', 'kill-receiver': 'receiver', 'kill-broker': 'broker' } as const)[
      this.options.fault as 'kill-sender' | 'kill-receiver' | 'kill-broker'
    ];
    if (!target) return;
    const pid = this.peers.get(target)?.pid;
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  /** Stop every peer, wait for them, kill what is left, remove the dirs. Always runs. */
  async teardown(): Promise<void> {
    if (this.torndown) return;
    this.torndown = true;
    this.broadcast({ type: 'stop' });
    const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
    // After a failure, peers still get a second: a forking sender must see its receiver's exit and
    // write it to stderr before the group is killed, or the record cannot say how it died.
    const graceMs = this.failure ? 1000 : 5000;
    const deadline = Date.now() + graceMs;
    while (this.children.some((child) => !exited(child)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    this.killNowSync();
    // Wait for the kernel to reap them, so "nothing left running" holds when this returns.
    const reapDeadline = Date.now() + 5000;
    while (this.children.some((child) => !exited(child)) && Date.now() < reapDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Their last stderr bytes (an exit status from sh, an error) may still be in flight.
    await Promise.all(this.children.map((child) => child.stderr && !child.stderr.destroyed
      ? new Promise<void>((resolve) => {
          child.stderr!.once('close', () => resolve());
          setTimeout(resolve, 1000).unref();
        })
      : undefined));
    for (const socket of this.sockets.values()) socket.destroy();
    active.delete(this);
  }

  /** Synchronous part of teardown: SIGKILL every process group, remove the dirs. */
  killNowSync(): void {
    this.killing = true;
    for (const child of this.children) {
      if (child.pid === undefined) continue;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the whole group: sh's pipeline, a forked receiver
      } catch {
        /* the group is already gone */
      }
    }
    if (this.dirs) {
      for (const dir of [this.dirs.tmpDir, this.dirs.shmDir]) fs.rmSync(dir, { recursive: true, force: true });
      this.dirs = null;
    }
  }
}

/** Private (0700) directories for one transfer, named by this process (see lib/measure/tempdir.ts). */
function makeDirs(): TransferDirs {
  return { tmpDir: makePrivateDir(os.tmpdir(), 'run'), shmDir: makePrivateDir(sharedMemoryRoot(), 'shm') };
}
