import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import type { PeerMessage } from './control';
import { type Link, portLink, socketLink } from './peer-link';
import { type PeerConfig, runRole, settleBeforeExit } from './peer-role';
import type { Transport } from './transport';
import { loadTransport } from './transports/index';

export type { PeerConfig } from './peer-role';

/**
 * The peer side of every Node transfer: a process (or a worker thread) that plays one role. It
 * builds the payload (sender), runs the transport's side, verifies (receiver) and reports to the
 * runner over the control channel. Started by lib/measure/runner/launch.ts; never by hand. This
 * file is the entry point (a process, a thread transport's host, a worker thread); the role itself
 * is peer-role.ts, the link to the runner peer-link.ts.
 */

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
    settleBeforeExit(Promise.race([told, new Promise((resolve) => setTimeout(resolve, 500).unref())]));
    if (deno) relayControl(4, child.stdio[3] as Duplex);
    else fs.closeSync(4);
    void runRole(config, link, { child });
    return;
  }
  void runRole(config, link);
}

if (require.main === module) main();
