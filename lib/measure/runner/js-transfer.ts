import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { failRecord, isFailedPhase } from '../../model/record';
import type { FailedPhase, Role, RunOptions, TransferRecord, TransferSpec } from '../../model/types';
import { type PeerInfo, type PeerMessage, type PeerResult, type RunnerMessage, sendLine } from '../control';
import { killGroup, stderrClosed, waitForExits } from '../process-groups';
import { makeTransferDirs } from '../tempdir';
import type { TransferDirs, Transport } from '../transport';
import { describeDeath, exitStatus, isSignal, type RoleProcess } from './death';
import { type LaunchedPeers, noPeers, type PeerCommand, spawnPeers } from './launch';
import { copyPeerResults } from './peer-results';

/**
 * The runner of a JavaScript runtime: runs one transfer and always tears it down. It makes private temp dirs,
 * spawns the peers (each in its own process group, see launch.ts), waits until every peer is
 * ready and connected, says go, collects the peers' timings, and turns everything — success,
 * a failure, a death, a timeout, an interrupt — into one flat record. Timing happens in the
 * peers, on the shared monotonic clock; the runner itself times nothing. The transport's limits
 * are checked before, and every transfer running is known, by js-driver.ts.
 */

type PeerState = { ready?: PeerInfo; pid?: number; armed?: boolean; result?: PeerResult; closed?: boolean };

/** One transfer of a JavaScript runtime, from spawn to teardown; js-driver.ts runs it, tears it down and asks it for the record. */
export class ActiveTransfer {
  private readonly roles: Role[];
  /** The processes, their control channels and stderr, as launch.ts started them. */
  private readonly launched: LaunchedPeers = noPeers();
  private readonly peers = new Map<Role, PeerState>();
  private dirs: TransferDirs | null = null;
  /** Paths outside the private dirs the peers may create (Transport.leftovers), removed at teardown. */
  private readonly leftovers: string[] = [];
  /** Peers whose control channel closed before they reported, in the order noticed. */
  private readonly deaths: { role: Role; phase: FailedPhase }[] = [];
  /** Exit status ("SIGKILL", "1") of each child that ended before teardown killed anything. */
  private readonly endedOnItsOwn = new Map<ChildProcess, string>();
  private killing = false;
  private wake: () => void = () => undefined;
  private failure: { phase: FailedPhase; reason: string } | null = null;
  private phase: FailedPhase = 'spawn';
  private torndown = false;

  constructor(
    private readonly spec: TransferSpec,
    private readonly transport: Transport,
    private readonly options: RunOptions,
    private readonly heapLimitMb: number,
    /** How each role's process starts (the same runtime twice, or a pair across runtimes). */
    private readonly commands: Record<'sender' | 'receiver', PeerCommand>,
    /** Whose transfer this is (a runtime's driver, or the pairs'), so each driver stops only its own. */
    readonly owner: string,
  ) {
    this.roles = transport.roles ?? ['sender', 'receiver'];
    for (const role of this.roles) this.peers.set(role, {});
  }

  abort(reason: string): void {
    this.fail('interrupted', reason);
  }

  private fail(phase: FailedPhase, reason: string): void {
    if (!this.failure) this.failure = { phase, reason };
    this.wake();
  }

  private log(text: string): void {
    if (this.options.verbose)
      process.stderr.write(`[ipc-lab] ${this.spec.transport} ${this.spec.payload} ${this.spec.sizeElements}: ${text}\n`);
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
    const deadlineMs = Date.now() + this.options.timeoutSeconds * 1000;
    try {
      this.dirs = makeTransferDirs();
      const prepared = this.transport.prepare?.(this.spec, this.dirs) ?? {};
      this.leftovers.push(...(this.transport.leftovers?.(prepared) ?? []));
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
        await this.until(
          () => Boolean(this.peers.get('broker')?.result),
          Math.min(deadlineMs, Date.now() + 10_000),
          () => 'no result from broker',
        );
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
    copyPeerResults(record, sender, receiver, this.peers.get('broker')?.result);
    // A death is the cause; what the other peer said about it (EPIPE, a closed stream) is the
    // effect, whichever the runner heard first. A peer killed by a signal is the likeliest cause.
    const killed = this.roles.find((role) => !this.peers.get(role)?.result && isSignal(exitStatus(role, this.processOf(role))));
    const death = killed ?? this.deaths[0]?.role;
    if (death && this.failure?.phase !== 'interrupted') {
      const phase = this.deaths.find((d) => d.role === death)?.phase ?? this.failure?.phase ?? 'transfer';
      const why = describeDeath(death, this.processOf(death), this.transport.topology, this.heapLimitMb);
      failRecord(record, phase === 'timeout' ? 'transfer' : phase, why);
    } else if (this.failure) {
      failRecord(record, this.failure.phase, this.failure.reason);
    } else if (receiver?.verifyError) {
      failRecord(record, 'verify', `data arrived corrupted: ${receiver.verifyError}`);
    } else {
      record.ok = true;
    }
  }

  /** What is known of the process that runs `role`, for death.ts. */
  private processOf(role: Role): RoleProcess | undefined {
    const where = this.launched.processOf.get(role);
    if (!where) return undefined;
    return {
      stderrTail: this.launched.stderrTail.get(where.child) ?? '',
      own: where.own,
      endedOnItsOwn: this.endedOnItsOwn.get(where.child),
    };
  }

  private spawnPeers(prepared: PeerInfo): void {
    const {
      spec,
      roles,
      heapLimitMb,
      options: { fault, verbose },
    } = this;
    const request = {
      spec,
      topology: this.transport.topology,
      roles,
      dirs: this.dirs as TransferDirs,
      prepared,
      fault,
      heapLimitMb,
      verbose,
      commands: this.commands,
    };
    spawnPeers(request, this.launched, {
      onMessage: (message) => this.onMessage(message),
      onSpawnError: (reason) => this.fail('spawn', reason),
      onExit: (child, status) => {
        if (!this.killing) this.endedOnItsOwn.set(child, status);
        this.wake();
      },
      onChannelClosed: (roles) => {
        for (const r of roles) {
          const state = this.peers.get(r);
          if (state && !state.result && !state.closed) {
            state.closed = true;
            if (this.torndown) continue; // stopped by teardown: not a death of its own
            this.deaths.push({ role: r, phase: this.phase });
            this.fail(this.phase, `the ${r} exited before reporting`);
          }
        }
      },
    });
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
        // A peer says its phase in words of its own; one this runner does not know is a bug, named in the reason.
        if (isFailedPhase(message.phase)) this.fail(message.phase, `the ${message.role} failed: ${message.error}`);
        else this.fail(this.phase, `the ${message.role} failed in a phase it called ${JSON.stringify(message.phase)}: ${message.error}`);
        break;
    }
    this.wake();
  }

  private broadcast(message: RunnerMessage): void {
    for (const socket of new Set(this.launched.sockets.values())) sendLine(socket, message);
  }

  private sendTo(role: Role, message: RunnerMessage): void {
    const socket = this.launched.sockets.get(role);
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
    const children = this.launched.children;
    // After a failure, peers still get a moment: a forking sender must see its receiver's exit and
    // write it to stderr before the group is killed, or the record cannot say how it died. One
    // second was too short on a loaded 2-core machine (load 15: "exit status unknown", 1 run in 3);
    // after a timeout (a hung peer, which will not exit) it stays one second, so a hang ends in time.
    await waitForExits(children, !this.failure ? 5000 : this.failure.phase === 'timeout' ? 1000 : 3000);
    this.killNowSync();
    // Wait for the kernel to reap them, so "nothing left running" holds when this returns.
    await waitForExits(children, 5000);
    // Their last stderr bytes (an exit status from sh, an error) may still be in flight.
    await stderrClosed(children);
    for (const socket of this.launched.sockets.values()) socket.destroy();
  }

  /** Synchronous part of teardown: SIGKILL every process group, remove the dirs. */
  killNowSync(): void {
    this.killing = true;
    for (const child of this.launched.children) if (child.pid !== undefined) killGroup(child.pid);
    if (this.dirs) {
      for (const dir of [this.dirs.tmpDir, this.dirs.shmDir]) fs.rmSync(dir, { recursive: true, force: true });
      this.dirs = null;
    }
    for (const leftover of this.leftovers.splice(0)) fs.rmSync(leftover, { force: true });
  }
}
