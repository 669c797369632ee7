import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import { codecOfSpec } from '../model/catalog';
import type { Fault, Role, TransferSpec } from '../model/types';
import { nowNs, secondsBetween } from './clock';
import { serializerOf } from './codecs/index';
import { onLines, type PeerInfo, type PeerMessage, type PeerResult, type RunnerMessage, sendLine } from './control';
import { duplexFd } from './fd-streams';
import { MessageVerifyError, runMessageReceiver, runMessageSender } from './messages/patterns';
import { buildPayload, verifyPayload } from './payload';
import type { PeerContext, TransferDirs, Transport } from './transport';
import { loadTransport } from './transports/index';

/**
 * The peer side of every Node transfer: a process (or a worker thread) that plays one role. It
 * builds the payload (sender), runs the transport's side, verifies (receiver) and reports to the
 * runner over the control channel. Started by lib/measure/runner/launch.ts; never by hand.
 */

/** What the runner passes to a peer (as argv JSON, or workerData for threads). */
export interface PeerConfig extends TransferDirs {
  spec: TransferSpec;
  role: Role | 'host';
  fault: Fault;
  heapLimitMb: number;
  prepared: PeerInfo;
}

/** A two-way message link to the runner: fd 3 in a process, the parent port in a worker. */
interface Link {
  send(message: PeerMessage): void;
  onMessage(handle: (message: RunnerMessage) => void): void;
  close(): Promise<void>;
}

function socketLink(fd: number): Link {
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

function portLink(port: MessagePort): Link {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (handle) => port.on('message', handle),
    close: async () => undefined,
  };
}

/** What a peer waits for before it exits: a forking sender, for its receiver's exit status to be told. */
let settledBeforeExit: Promise<unknown> = Promise.resolve();

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Run one role of a transfer over a link, until the runner says stop. */
async function runRole(config: PeerConfig, link: Link, extras: Partial<PeerContext> = {}): Promise<void> {
  const role = config.role as Role;
  const transport = loadTransport(config.spec.transport);
  let phase = 'ready';
  let stopping = false;
  let peersInfo: ((info: PeerInfo) => void) | null = null;
  let go: (() => void) | null = null;
  let reported = false;
  let stopped: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (stopped = resolve));

  link.onMessage((message) => {
    if (message.type === 'peers' && peersInfo) peersInfo(message.info);
    else if (message.type === 'go' && go) go();
    else if (message.type === 'stop') {
      stopping = true;
      stopped();
      // A peer stopped before it reported is being torn down: it has nothing left to do.
      if (!reported && role !== 'broker') exit(1);
    }
  });

  // In a worker thread process.exit ends only that thread, so this is right for both kinds of peer.
  const exit = (code: number) => void Promise.all([link.close(), settledBeforeExit]).finally(() => process.exit(code));

  const ctx: PeerContext = {
    spec: config.spec,
    role,
    tmpDir: config.tmpDir,
    shmDir: config.shmDir,
    prepared: config.prepared,
    fault: config.fault,
    shared: undefined,
    ...extras,
    ready(info: PeerInfo = {}) {
      return new Promise<PeerInfo>((resolve) => {
        peersInfo = resolve;
        link.send({ type: 'ready', role, info, pid: process.pid });
      });
    },
    armed() {
      phase = 'transfer';
      return new Promise<void>((resolve) => {
        go = resolve;
        link.send({ type: 'armed', role });
      });
    },
    async start(info?: PeerInfo) {
      const all = await ctx.ready(info);
      await ctx.armed();
      return all;
    },
    stopping: () => stopping,
  };

  try {
    let result: PeerResult;
    // Out of the timed region: a codec that loads a library (msgpackr) does it now, not in its first encode.
    serializerOf(codecOfSpec(config.spec))?.prepare?.();
    if (role !== 'broker' && (config.spec.pattern ?? 'transfer') !== 'transfer') {
      if (role === 'sender' && config.fault === 'sender-never-ready') await new Promise(() => setInterval(() => undefined, 1 << 30));
      result = await runMessageRole(transport, ctx, role, config.fault, (now) => (phase = now));
    } else if (role === 'sender') {
      if (config.fault === 'sender-never-ready') await new Promise(() => setInterval(() => undefined, 1 << 30));
      phase = 'build';
      const buildStartNs = nowNs();
      const into = config.spec.payload === 'int32' ? transport.allocate?.(ctx, config.spec.sizeElements) : undefined;
      const data = buildPayload(config.spec.payload, config.spec.sizeElements, into);
      const buildSeconds = secondsBetween(buildStartNs, nowNs());
      if (config.fault === 'corrupt' && data.length > 0) data[data.length >> 1] = -1;
      phase = 'ready';
      const report = await transport.sender(ctx, data);
      result = {
        role,
        buildSeconds,
        startNs: report.startNs.toString(),
        encodeSeconds: report.encodeSeconds,
        sendSeconds: report.sendSeconds,
        bytes: report.bytes,
        memory: report.memory ?? 'n/a',
        copies: report.copies,
        peakRssBytes: peakRssBytes(),
      };
    } else if (role === 'receiver') {
      const report = await transport.receiver(ctx);
      if (config.fault === 'receiver-hangs') await new Promise(() => setInterval(() => undefined, 1 << 30));
      phase = 'verify';
      const verifyStartNs = nowNs();
      const verifyError = verifyPayload(report.data, config.spec.sizeElements);
      result = {
        role,
        heldNs: report.heldNs.toString(),
        recvSeconds: report.recvSeconds,
        decodeSeconds: report.decodeSeconds,
        verifySeconds: secondsBetween(verifyStartNs, nowNs()),
        verifyError,
        copies: report.copies,
        firstTouch: report.firstTouch,
        peakRssBytes: peakRssBytes(),
      };
    } else {
      if (!transport.broker) throw new Error(`transport ${transport.info.id} has no broker`);
      await transport.broker(ctx);
      await stopRequested;
      result = { role, peakRssBytes: peakRssBytes() };
    }
    reported = true;
    link.send({ type: 'result', result });
    await stopRequested;
    exit(0);
  } catch (error) {
    if (error instanceof MessageVerifyError) phase = 'verify';
    link.send({ type: 'failed', role, phase, error: (error as Error).message ?? String(error) });
    reported = true;
    await stopRequested;
    exit(1);
  }
}

/** One role of a message pattern: open the transport's message end, run the pattern, report. */
async function runMessageRole(
  transport: Transport,
  ctx: PeerContext,
  role: 'sender' | 'receiver',
  fault: Fault,
  enter: (phase: string) => void,
): Promise<PeerResult> {
  if (!transport.messages) throw new Error(`transport ${transport.info.id} carries no message patterns`);
  const end = await transport.messages(ctx);
  enter('transfer');
  if (role === 'sender') {
    const report = await runMessageSender(end, ctx.spec, fault);
    end.close();
    return {
      role,
      startNs: report.startNs.toString(),
      sendSeconds: report.loopSeconds,
      bytes: report.wireBytes,
      cpuSecondsPerMessage: report.cpuSecondsPerMessage,
      roundTrip: report.roundTrip,
      peakRssBytes: peakRssBytes(),
    };
  }
  const report = await runMessageReceiver(end, ctx.spec);
  if (fault === 'receiver-hangs') await new Promise(() => setInterval(() => undefined, 1 << 30));
  return {
    role,
    heldNs: report.heldNs.toString(),
    recvSeconds: report.loopSeconds,
    cpuSecondsPerMessage: report.cpuSecondsPerMessage,
    verifyError: null,
    peakRssBytes: peakRssBytes(),
  };
}

/** A thread transport's host process: one worker per role, messages relayed both ways. */
function runHost(config: PeerConfig, link: Link): void {
  const transport: Transport = loadTransport(config.spec.transport);
  if (!transport.hostSetup) throw new Error(`transport ${transport.info.id} has no hostSetup`);
  const setup = transport.hostSetup(config.spec);
  const workers: Worker[] = [];
  for (const role of ['sender', 'receiver'] as const) {
    const worker = new Worker(workerBootstrap(), {
      eval: true,
      workerData: { config: { ...config, role }, shared: setup[role].shared },
      transferList: setup[role].transfer as never[],
      resourceLimits: { maxOldGenerationSizeMb: config.heapLimitMb },
      stdout: false,
      stderr: false,
    });
    worker.on('message', (message: PeerMessage) => link.send(message));
    worker.on('error', (error: Error & { code?: string }) => {
      const why =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the ${role} worker ran out of memory (V8 heap limit ${config.heapLimitMb} MiB; raise it with --heap-mb)`
          : `the ${role} worker failed: ${error.message}`;
      link.send({ type: 'failed', role, phase: 'transfer', error: why });
    });
    workers.push(worker);
  }
  link.onMessage((message) => {
    for (const worker of workers) worker.postMessage(message);
    if (message.type === 'stop') setTimeout(() => process.exit(0), 50).unref();
  });
}

/** Source of a worker that runs its role (registering ts-node first when the peer runs from source). */
function workerBootstrap(): string {
  const load = `require(${JSON.stringify(__filename)}).runWorkerPeer();`;
  if (!__filename.endsWith('.ts')) return load;
  return `require(${JSON.stringify(require.resolve('ts-node/register/transpile-only'))}); ${load}`;
}

/** Entry point inside a worker thread started by runHost. */
export function runWorkerPeer(): void {
  const { config, shared } = workerData as { config: PeerConfig; shared: unknown };
  void runRole(config, portLink(parentPort as MessagePort), { shared });
}

/**
 * Carry a forked child's control channel between the runner's fd and the child's pipe, both ways;
 * when the child's side closes (it ended), the runner's closes too, as it would had the child held it.
 */
function relayControl(fd: number, toChild: Duplex): void {
  const runner = new net.Socket({ fd, readable: true, writable: true });
  runner.pipe(toChild);
  toChild.pipe(runner);
  toChild.on('close', () => runner.destroy());
  for (const side of [runner, toChild]) side.on('error', () => undefined);
}

/** Entry point of a peer process: argv[2] is its PeerConfig as JSON, fd 3 its control channel. */
function main(): void {
  const config = JSON.parse(process.argv[2]) as PeerConfig;
  const link = socketLink(3);
  if (config.role === 'host') {
    runHost(config, link);
    return;
  }
  const transport = loadTransport(config.spec.transport);
  if (transport.topology === 'fork-child' && config.role === 'sender') {
    // An IPC channel only joins a parent and its child, so the sender forks the receiver. The
    // runner's control channel for the receiver arrives here as fd 4 and becomes the child's fd 3;
    // Node tells the child where its IPC channel is (fd 4) through NODE_CHANNEL_FD. Deno cannot
    // hand an fd it did not open to a child, so there the child gets a pipe and this process relays.
    const deno = Boolean(process.versions.deno);
    const child = fork(__filename, [JSON.stringify({ ...config, role: 'receiver' })], {
      // Deno's process.execArgv is empty (its flags are not Node's): its fork takes Node's heap flag.
      execArgv: deno ? [`--max-old-space-size=${config.heapLimitMb}`] : process.execArgv,
      serialization: transport.serialization ?? 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', deno ? 'pipe' : 4, 'ipc'],
    });
    // Only this process sees how the receiver ended: tell the runner, which names a death by it.
    const told = new Promise<void>((resolve) =>
      child.on('exit', (code, signal) => {
        process.stderr.write(`ipc-lab-exit receiver ${signal ?? code}\n`);
        resolve();
      }),
    );
    settledBeforeExit = Promise.race([told, new Promise((resolve) => setTimeout(resolve, 500).unref())]);
    if (deno) relayControl(4, child.stdio[3] as Duplex);
    else fs.closeSync(4);
    void runRole(config, link, { child });
    return;
  }
  void runRole(config, link);
}

if (require.main === module) main();
