import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { type Config, fail } from './args';
import { type Link, messageLink, streamLink } from './links';
import { adopt, adoptingServer, directReceiver } from './reads';
import { drive, type Outcome, report, serve } from './roles';

/**
 * The channels between two processes (FIFOs, a Unix socket, TCP, a fork's IPC channel): the main
 * process makes the channel and starts the peer process (`entry` again, with --role peer), each
 * side opens its end and plays its role.
 */

/** Open the FIFO pair, reading with `onread`: each open blocks (in libuv's thread pool) until the other side opens its end. */
async function fifoSockets(dir: string, mine: 'client' | 'server', onread: net.OnReadOpts): Promise<[net.Socket, net.Socket]> {
  const [toServer, toClient] = [path.join(dir, 'to-server'), path.join(dir, 'to-client')];
  const [readPath, writePath] = mine === 'client' ? [toClient, toServer] : [toServer, toClient];
  // fs.open's callback form gives a plain fd, which the socket then owns (a FileHandle would close it when collected).
  const open = (file: string, flags: string) =>
    new Promise<number>((resolve, reject) => fs.open(file, flags, (error, fd) => (error ? reject(error) : resolve(fd))));
  const [readFd, writeFd] = await Promise.all([open(readPath, 'r'), open(writePath, 'w')]);
  return [
    new net.Socket({ fd: readFd, readable: true, writable: false, onread } as net.SocketConstructorOpts),
    new net.Socket({ fd: writeFd, readable: false, writable: true }),
  ];
}

async function connectStream(cfg: Config, address: string, onread: net.OnReadOpts): Promise<net.Socket> {
  const where = cfg.stream === 'unix' ? { path: address } : { port: Number(address), host: '127.0.0.1' };
  const socket = net.connect({ ...where, onread });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket.setNoDelay(true);
}

/** The peer process: the server (roundtrip) or receiver (rate); prints its outcome for the main process. */
export async function peerMain(cfg: Config, address: string): Promise<void> {
  // Die with the main process: its end of our stdin closes when it goes.
  process.stdin.on('end', () => process.exit(1)).resume();
  let link: Link;
  if (cfg.channel === 'ipc' || cfg.channel === 'ipc-json') {
    process.on('disconnect', () => process.exit(1));
    link = messageLink(
      (value, written) => process.send!(value, written),
      (h) => process.on('message', h),
      null,
    );
  } else if (cfg.stream === 'pipe') {
    const receiver = directReceiver(cfg.v8 ? 'v8' : 'bytes', cfg.bytes);
    const [input, output] = await fifoSockets(cfg.dir, 'server', receiver.onread);
    link = streamLink(input, output, receiver, cfg.v8);
  } else {
    const receiver = directReceiver(cfg.v8 ? 'v8' : 'bytes', cfg.bytes);
    const socket = await connectStream(cfg, address, receiver.onread);
    link = streamLink(socket, socket, receiver, cfg.v8);
  }
  const outcome = await serve(cfg, link);
  await new Promise<void>((resolve) => link.finish(resolve));
  process.stdout.write(`${JSON.stringify(outcome)}\n`, () => process.exit(0));
}

/** The main process: makes the channel, starts the peer process from `entry`, drives, reports both sides. */
export async function processMain(cfg: Config, entry: string): Promise<void> {
  let listener: net.Server | null = null;
  let address = '';
  if (cfg.stream === 'pipe') {
    for (const name of ['to-server', 'to-client']) execFileSync('mkfifo', ['-m', '600', path.join(cfg.dir, name)]);
  } else if (cfg.stream === 'unix' || cfg.stream === 'tcp') {
    listener = adoptingServer();
    const server = listener;
    address = cfg.stream === 'unix' ? path.join(cfg.dir, 's') : '';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (cfg.stream === 'unix') server.listen(address, resolve);
      else server.listen(0, '127.0.0.1', resolve);
    });
    if (cfg.stream === 'tcp') address = String((server.address() as net.AddressInfo).port);
  }
  const args = [...process.argv.slice(2), '--role', 'peer', '--address', address];
  const stdio: ('pipe' | 'ipc')[] = ['pipe', 'pipe', 'pipe'];
  const ipc = cfg.channel === 'ipc' || cfg.channel === 'ipc-json';
  const child: ChildProcess = ipc
    ? fork(entry, args, { stdio: [...stdio, 'ipc'], serialization: cfg.channel === 'ipc' ? 'advanced' : 'json' })
    : spawn(process.execPath, [entry, ...args], { stdio });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => {
      child.kill('SIGKILL');
      process.exit(1);
    });
  }
  let childOut = '';
  let childErr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (childOut += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (childErr += text));
  const ended = new Promise<Outcome>((resolve, reject) =>
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(JSON.parse(childOut) as Outcome);
      const line = childErr
        .trim()
        .split('\n')
        .pop()
        ?.replace(/^minimal-node: /, '');
      reject(new Error(line || `the peer ended with ${signal ?? `exit status ${code}`}`));
    }),
  );
  ended.catch(() => {});
  // Only the peer's failure stops a step early; its clean end races its last message on the channel.
  const peerFailed = ended.then(() => new Promise<never>(() => {}));
  let link: Link;
  // A rate sender reads only the receiver's control bytes.
  const streamReceiver = () => directReceiver(cfg.pattern === 'rate' ? 'control' : cfg.v8 ? 'v8' : 'bytes', cfg.bytes);
  if (ipc) {
    link = messageLink(
      (value, written) => child.send(value as object, written),
      (h) => child.on('message', h),
      null,
    );
  } else if (cfg.stream === 'pipe') {
    const receiver = streamReceiver();
    const opened = fifoSockets(cfg.dir, 'client', receiver.onread);
    const [input, output] = await Promise.race([opened, peerFailed]);
    for (const name of ['to-server', 'to-client']) fs.rmSync(path.join(cfg.dir, name), { force: true });
    link = streamLink(input, output, receiver, cfg.v8);
  } else {
    const server = listener!;
    const accepted = await Promise.race([new Promise<net.Socket>((resolve) => server.once('connection', resolve)), peerFailed]);
    server.close(); // also unlinks the Unix socket's file
    const receiver = streamReceiver();
    const socket = adopt(accepted, receiver.onread).setNoDelay(true);
    link = streamLink(socket, socket, receiver, cfg.v8);
  }
  // A broken channel most often means the peer died: give its exit a moment to say so first.
  link.onError = (error) => setTimeout(() => fail(error, 'channel: '), 1000).unref();
  const mine = await Promise.race([drive(cfg, link), peerFailed]);
  const peer = await ended;
  report(cfg, mine, peer);
  process.exit(0);
}
