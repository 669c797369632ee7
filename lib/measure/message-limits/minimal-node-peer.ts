/**
 * The minimal Node ping-pong and stream: what Node itself costs for many messages, apart from
 * ipc-lab. One plain program on the bare Node API (it imports nothing but node:*), run as plain
 * JavaScript: minimal-node.ts transpiles it into a private temp dir and starts it with `node`.
 *
 *   node minimal-node-peer.js --channel C --pattern roundtrip|rate --bytes B --messages N --warmup W --dir D
 *
 * Channels, each between two processes except `port`:
 *   pipe      two FIFOs (mkfifo in D), one each way, opened as net.Socket — real pipe(2) semantics
 *             (a child's stdio would be socketpairs)
 *   unix      a Unix stream socket at D/s          tcp   127.0.0.1, an ephemeral port, noDelay
 *   pipe-v8, unix-v8, tcp-v8
 *             the same stream, each message v8.serialize'd behind a 4-byte length and
 *             v8.deserialize'd at the other end: what a program that serializes pays
 *   port      a MessageChannel between two worker threads, postMessage of a Buffer (cloned)
 *   ipc       child_process.fork, serialization 'advanced', process.send of a Buffer
 *   ipc-json  child_process.fork, serialization 'json', process.send of ipc-lab's `object`
 *             message (JSON text of exactly B characters; needs B ≥ 64)
 * Byte messages carry ipc-lab's `bytes` content; a stream receiver gathers chunks until B bytes.
 *
 * The main process (or, for `port`, the first worker) is the client / sender; the peer process
 * (the second worker) the server / receiver. The same protocol as native/msg_baseline.c: a
 * roundtrip sample is reply held − send start; a rate receiver acknowledges the warm-ups (the
 * sender waits, so the stream starts on an empty channel) and the last message. Backpressure:
 * socket.write's false → 'drain'; process.send's false → wait until every queued send called back;
 * MessagePort has none, so the receiver grants credits (a window of up to 64 messages, ≤ 8 MiB).
 *
 * Prints one JSON object (the fields of msg_baseline's, with "cpuMeasure"); exit 1 with one line
 * on stderr for a run-time failure, 2 for bad arguments.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { MessageChannel, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';

const CHANNELS = ['pipe', 'unix', 'tcp', 'pipe-v8', 'unix-v8', 'tcp-v8', 'port', 'ipc', 'ipc-json'];
const PATTERNS = ['roundtrip', 'rate'];
const ACK_WARM = -1;
const ACK_LAST = -2;

interface Config {
  channel: string;
  /** The byte stream under a stream channel (`unix` for unix and unix-v8), else null. */
  stream: 'pipe' | 'unix' | 'tcp' | null;
  /** Each message serialized with v8 behind a length (the -v8 channels), or its bytes as they are. */
  v8: boolean;
  pattern: string;
  bytes: number;
  messages: number;
  warmup: number;
  dir: string;
}
interface Outcome {
  cpuNs: number;
  samplesNs?: number[];
  firstSendNs?: number;
  lastHeldNs?: number;
}

class Usage extends Error {}

function parseArgs(argv: string[]): Config & { role: string; address: string } {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!/^--(channel|pattern|bytes|messages|warmup|dir|role|address)$/.test(name))
      throw new Usage(`unknown argument ${JSON.stringify(name)}`);
    if (i + 1 >= argv.length) throw new Usage(`${name} needs a value`);
    given.set(name.slice(2), argv[i + 1]);
  }
  const whole = (name: string, min: number, max: number): number => {
    const text = given.get(name) ?? '';
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) throw new Usage(`--${name} ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`);
    return value;
  };
  const channel = given.get('channel') ?? '';
  if (!CHANNELS.includes(channel)) throw new Usage(`--channel ${JSON.stringify(channel)} is not one of ${CHANNELS.join(', ')}`);
  const pattern = given.get('pattern') ?? '';
  if (!PATTERNS.includes(pattern)) throw new Usage(`--pattern ${JSON.stringify(pattern)} is not one of ${PATTERNS.join(', ')}`);
  const bytes = whole('bytes', 8, 1 << 20);
  if (channel === 'ipc-json' && bytes < 64)
    throw new Usage(`--bytes ${bytes} is too small for ipc-json: its object messages need at least 64 bytes`);
  const messages = whole('messages', 1, 1e7);
  const warmup = whole('warmup', 0, 1e6);
  const dir = given.get('dir') ?? '';
  if (!dir || !fs.existsSync(dir)) throw new Usage(`--dir ${JSON.stringify(dir)} is not an existing directory`);
  const base = channel.replace(/-v8$/, '');
  const stream = base === 'pipe' || base === 'unix' || base === 'tcp' ? base : null;
  const v8 = channel.endsWith('-v8');
  return {
    channel,
    stream,
    v8,
    pattern,
    bytes,
    messages,
    warmup,
    dir,
    role: given.get('role') ?? 'main',
    address: given.get('address') ?? '',
  };
}

const nowNs = (): number => Number(process.hrtime.bigint());
/** A process's CPU (all its threads); in a worker, the thread's own from the kernel's schedstat. */
function cpuNs(): number {
  if (parentPort) return Number(fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

// ---- message content ----

function bytesTemplate(bytes: number): Buffer {
  const template = Buffer.alloc(bytes);
  for (let i = 8; i < bytes; i++) template[i] = (i * 31 + 7) & 0xff;
  return template;
}

/** A copy in an ArrayBuffer of its own (not cut from Node's pool). */
function ownCopy(template: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(template.length);
  template.copy(copy);
  return copy;
}

function stamp(message: Buffer, seq: number): Buffer {
  message.writeUInt32LE(seq, 0);
  message.writeUInt32LE(~seq >>> 0, 4);
  return message;
}

function verifyBytes(got: Uint8Array, template: Buffer, seq: number): void {
  const message = Buffer.isBuffer(got) ? got : Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  if (message.length !== template.length) throw new Error(`message #${seq} arrived with ${message.length} bytes, not ${template.length}`);
  const s = message.readUInt32LE(0);
  const check = message.readUInt32LE(4);
  if (s !== seq || check !== ~seq >>> 0) throw new Error(`message #${seq} arrived with seq ${s} and check word ${check}`);
  if (message.compare(template, 8, template.length, 8, template.length) !== 0) throw new Error(`message #${seq} arrived with wrong bytes`);
}

/** ipc-lab's `object` message: compact JSON text of exactly `bytes` characters. */
function objectMessages(bytes: number) {
  const values = Array.from({ length: Math.min(16, Math.floor(bytes / 64)) }, (_, i) => i);
  const pads = new Map<number, string>();
  const padFor = (seq: number): string => {
    const length = bytes - JSON.stringify({ seq, kind: 'tick', values, pad: '' }).length;
    let pad = pads.get(length);
    if (pad === undefined) {
      pad = 'x'.repeat(length);
      pads.set(length, pad);
    }
    return pad;
  };
  return {
    make: (seq: number) => ({ seq, kind: 'tick', values, pad: padFor(seq) }),
    verify(got: unknown, seq: number): void {
      const m = got as { seq?: unknown; kind?: unknown; values?: unknown; pad?: unknown };
      const ok =
        m?.seq === seq &&
        m.kind === 'tick' &&
        Array.isArray(m.values) &&
        m.values.length === values.length &&
        m.values.every((v, i) => v === i) &&
        m.pad === padFor(seq);
      if (!ok) throw new Error(`message #${seq} arrived wrong: ${JSON.stringify(got).slice(0, 80)}`);
    },
  };
}

// ---- links: one side's view of a channel ----

/** Data one way or both, control numbers (acks, credits) the other way. */
interface Link {
  /** Send one message; false when the channel is full: wait for whenDrained before the next. */
  send(message: unknown): boolean;
  whenDrained(callback: () => void): void;
  sendControl(value: number): void;
  /** Call back once everything sent has left this process (before it exits). */
  finish(callback: () => void): void;
  onMessage: (message: unknown) => void;
  onControl: (value: number) => void;
  /** A stream's error (the peer gone, most often); the default ends this process with it. */
  onError: (error: Error) => void;
}

/** A byte stream in, a byte stream out (one socket, or two FIFOs). A rate sender reads only control bytes. */
function streamLink(input: net.Socket, output: net.Socket, bytes: number, incomingIsControl: boolean, serialized: boolean): Link {
  const link: Link = {
    send: (message) => output.write(serialized ? v8Frame(message) : (message as Buffer)),
    whenDrained: (callback) => output.once('drain', callback),
    sendControl: (value) => output.write(Buffer.of(-value)),
    finish: (callback) => output.end(callback),
    onMessage: () => {},
    onControl: () => {},
    onError: (error) => fail(error, 'channel: '),
  };
  for (const socket of new Set([input, output])) socket.on('error', (error) => link.onError(error));
  if (serialized && !incomingIsControl) {
    input.on(
      'data',
      v8FrameReader((message) => link.onMessage(message)),
    );
    return link;
  }
  const held = Buffer.allocUnsafe(bytes);
  let filled = 0;
  input.on('data', (chunk: Buffer) => {
    if (incomingIsControl) {
      for (const byte of chunk) link.onControl(-byte);
      return;
    }
    let at = 0;
    while (at < chunk.length) {
      if (filled === 0 && chunk.length - at >= bytes) {
        // A whole message inside the chunk: hand it over without a copy.
        link.onMessage(chunk.subarray(at, at + bytes));
        at += bytes;
        continue;
      }
      const taken = chunk.copy(held, filled, at, Math.min(chunk.length, at + bytes - filled));
      filled += taken;
      at += taken;
      if (filled === bytes) {
        filled = 0;
        link.onMessage(held);
      }
    }
  });
  return link;
}

/** One message as a v8 channel sends it: a 4-byte little-endian length, then v8.serialize's bytes. */
function v8Frame(message: unknown): Buffer {
  const body = v8.serialize(message);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** A 'data' handler that gathers v8 frames from chunks and hands each message on, deserialized. */
function v8FrameReader(onMessage: (message: unknown) => void): (chunk: Buffer) => void {
  const chunks: Buffer[] = [];
  let held = 0;
  let frameBytes = -1; // header included; -1 until the header is in
  return (chunk) => {
    chunks.push(chunk);
    held += chunk.length;
    for (;;) {
      if (frameBytes < 0) {
        if (held < 4) return;
        frameBytes = 4 + (chunks[0].length >= 4 ? chunks[0] : Buffer.concat(chunks)).readUInt32LE(0);
      }
      if (held < frameBytes) return;
      // Joined once per frame, when the whole of it is in.
      const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, held);
      onMessage(v8.deserialize(data.subarray(4, frameBytes)));
      const rest = data.subarray(frameBytes);
      chunks.length = 0;
      held = rest.length;
      frameBytes = -1;
      if (held === 0) return;
      chunks.push(rest);
    }
  };
}

/** Messages as values: a MessagePort, or a child process's IPC channel (either end). */
function messageLink(
  post: (value: unknown, written: (error?: Error | null) => void) => boolean,
  subscribe: (handler: (value: unknown) => void) => void,
  window: number | null,
): Link {
  let inFlight = 0;
  let sent = 0;
  let credited = 0;
  let waiting: (() => void) | null = null;
  const wake = () => {
    const callback = waiting;
    waiting = null;
    callback?.();
  };
  // A send to a closed channel calls back with an error at once: stop there, or the sender
  // would resend forever from process.nextTick and never see the peer's exit.
  const written = (error?: Error | null) => {
    if (error) return link.onError(error);
    if (--inFlight === 0 && window === null) wake();
  };
  const link: Link = {
    send(message) {
      inFlight++;
      sent++;
      const ok = post(message, written);
      return window === null ? ok : sent - credited < window;
    },
    whenDrained: (callback) => {
      waiting = callback;
      if (window === null ? inFlight === 0 : sent - credited < window) wake();
    },
    sendControl: (value) => {
      inFlight++;
      post(value, written);
    },
    finish: (callback) => link.whenDrained(callback),
    onMessage: () => {},
    onControl: () => {},
    onError: (error) => fail(error, 'channel: '),
  };
  subscribe((value) => {
    if (typeof value !== 'number') return link.onMessage(value);
    if (value > 0) {
      credited = value;
      if (waiting && sent - credited < (window ?? 0)) wake();
    } else link.onControl(value);
  });
  return link;
}

/** MessagePort's credit window: up to 64 messages, at most 8 MiB of them, at least 2. */
const windowFor = (bytes: number) => Math.max(2, Math.min(64, Math.floor((8 << 20) / bytes)));

// ---- the two roles ----

function makeMessages(cfg: Config) {
  if (cfg.channel === 'ipc-json') return objectMessages(cfg.bytes);
  const template = bytesTemplate(cfg.bytes);
  // A MessagePort clones a Buffer's whole ArrayBuffer, so its messages get one of their own rather
  // than a slice of Node's 8 KiB pool; the other channels send a Buffer's own bytes.
  const copy = cfg.channel === 'port' ? ownCopy : (t: Buffer) => Buffer.from(t);
  const reused = copy(template);
  // A stream builds message i fresh, as ipc-lab does (and a queued write keeps its Buffer until
  // written); a round trip's client reuses one Buffer, outside its timed send-to-answer.
  const fresh = cfg.pattern === 'rate';
  return {
    make: (seq: number) => stamp(fresh ? copy(template) : reused, seq),
    verify: (got: unknown, seq: number) => verifyBytes(got as Uint8Array, template, seq),
  };
}

/** How many messages a rate sender sends before it lets the event loop turn. */
const TURN = 1024;

/** Client (roundtrip) or sender (rate). */
function drive(cfg: Config, link: Link): Promise<Outcome> {
  const { make, verify } = makeMessages(cfg);
  const total = cfg.warmup + cfg.messages;
  let cpuStart = cpuNs();
  return new Promise((resolve, reject) => {
    if (cfg.pattern === 'roundtrip') {
      const samplesNs = new Array<number>(cfg.messages);
      let seq = 0;
      let startNs = 0;
      const sendNext = () => {
        const message = make(seq);
        if (seq === cfg.warmup) cpuStart = cpuNs();
        startNs = nowNs();
        link.send(message);
      };
      link.onMessage = (reply) => {
        const heldNs = nowNs();
        if (seq >= cfg.warmup) samplesNs[seq - cfg.warmup] = heldNs - startNs;
        try {
          verify(reply, seq);
        } catch (error) {
          return reject(new Error(`reply: ${(error as Error).message}`));
        }
        if (++seq < total) return sendNext();
        resolve({ cpuNs: cpuNs() - cpuStart, samplesNs });
      };
      return sendNext();
    }
    let seq = 0;
    let firstSendNs = 0;
    // A channel that keeps accepting (IPC's writes succeed at once while the peer keeps up, and
    // report a dead peer only on a later tick) must not hold the loop: yield every TURN messages.
    const pump = (until: number): void => {
      const turnEnd = Math.min(until, seq + TURN);
      while (seq < turnEnd) {
        const message = make(seq);
        if (seq === cfg.warmup) firstSendNs = nowNs();
        seq++;
        if (!link.send(message)) {
          link.whenDrained(() => pump(until));
          return;
        }
      }
      if (seq < until) setImmediate(pump, until);
    };
    link.onControl = (value) => {
      if (value === ACK_WARM) {
        cpuStart = cpuNs();
        pump(total);
      } else if (value === ACK_LAST) resolve({ cpuNs: cpuNs() - cpuStart, firstSendNs });
      else reject(new Error(`the receiver sent control value ${value}`));
    };
    pump(cfg.warmup);
  });
}

/** Server (roundtrip) or receiver (rate). */
function serve(cfg: Config, link: Link): Promise<Outcome> {
  const { verify } = makeMessages(cfg);
  const total = cfg.warmup + cfg.messages;
  const creditEvery = Math.ceil(windowFor(cfg.bytes) / 2);
  let cpuStart = cpuNs();
  let lastHeldNs = 0;
  let count = 0;
  return new Promise((resolve, reject) => {
    if (cfg.pattern === 'rate' && cfg.warmup === 0) link.sendControl(ACK_WARM);
    link.onMessage = (message) => {
      try {
        if (count === cfg.warmup) cpuStart = cpuNs();
        if (cfg.pattern === 'roundtrip') {
          link.send(message);
          verify(message, count);
        } else {
          if (count + 1 === total) lastHeldNs = nowNs();
          verify(message, count);
          if (cfg.channel === 'port' && (count + 1) % creditEvery === 0) link.sendControl(count + 1);
          if (count + 1 === cfg.warmup) link.sendControl(ACK_WARM);
        }
        if (++count < total) return;
        const outcome = { cpuNs: cpuNs() - cpuStart, lastHeldNs };
        if (cfg.pattern === 'rate') link.sendControl(ACK_LAST);
        resolve(outcome);
      } catch (error) {
        reject(error);
      }
    };
  });
}

// ---- wiring ----

function fail(error: unknown, prefix = ''): never {
  process.stderr.write(`minimal-node: ${prefix}${(error as Error).message ?? error}\n`);
  process.exit(error instanceof Usage ? 2 : 1);
}

function report(cfg: Config, sender: Outcome, receiver: Outcome): void {
  const { channel, pattern, bytes, messages, warmup } = cfg;
  const cpuMeasure = channel === 'port' ? 'thread' : 'process';
  const common = { source: 'node-minimal', channel, pattern, bytes, messages, warmup, cpuMeasure };
  const cpu = { senderCpuNs: sender.cpuNs, receiverCpuNs: receiver.cpuNs };
  const result =
    pattern === 'roundtrip'
      ? { ...common, ...cpu, samplesNs: sender.samplesNs }
      : { ...common, ...cpu, firstSendNs: sender.firstSendNs, lastHeldNs: receiver.lastHeldNs };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Open the FIFO pair: each open blocks (in libuv's thread pool) until the other side opens its end. */
async function fifoSockets(dir: string, mine: 'client' | 'server'): Promise<[net.Socket, net.Socket]> {
  const [toServer, toClient] = [path.join(dir, 'to-server'), path.join(dir, 'to-client')];
  const [readPath, writePath] = mine === 'client' ? [toClient, toServer] : [toServer, toClient];
  // fs.open's callback form gives a plain fd, which the socket then owns (a FileHandle would close it when collected).
  const open = (file: string, flags: string) =>
    new Promise<number>((resolve, reject) => fs.open(file, flags, (error, fd) => (error ? reject(error) : resolve(fd))));
  const [readFd, writeFd] = await Promise.all([open(readPath, 'r'), open(writePath, 'w')]);
  return [
    new net.Socket({ fd: readFd, readable: true, writable: false }),
    new net.Socket({ fd: writeFd, readable: false, writable: true }),
  ];
}

async function connectStream(cfg: Config, address: string): Promise<net.Socket> {
  const socket = cfg.stream === 'unix' ? net.connect(address) : net.connect(Number(address), '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket.setNoDelay(true);
}

async function peerMain(cfg: Config, address: string): Promise<void> {
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
    const [input, output] = await fifoSockets(cfg.dir, 'server');
    link = streamLink(input, output, cfg.bytes, false, cfg.v8);
  } else {
    const socket = await connectStream(cfg, address);
    link = streamLink(socket, socket, cfg.bytes, false, cfg.v8);
  }
  const outcome = await serve(cfg, link);
  await new Promise<void>((resolve) => link.finish(resolve));
  process.stdout.write(`${JSON.stringify(outcome)}\n`, () => process.exit(0));
}

function workerMain(): void {
  const { cfg, port, role } = workerData as { cfg: Config; port: MessagePort; role: string };
  const window = cfg.pattern === 'rate' ? windowFor(cfg.bytes) : null;
  const link = messageLink(
    (value) => {
      port.postMessage(value);
      return true;
    },
    (h) => port.on('message', h),
    window,
  );
  (role === 'client' ? drive(cfg, link) : serve(cfg, link)).then(
    (outcome) => parentPort!.postMessage(outcome),
    (error) => parentPort!.postMessage({ error: `${role === 'client' ? 'client' : 'server'}: ${(error as Error).message}` }),
  );
}

async function portMain(cfg: Config): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  const start = (role: string, port: MessagePort) =>
    new Promise<Outcome>((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: { cfg, port, role }, transferList: [port] });
      worker.once('message', (m: Outcome & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the ${role} worker exited with code ${code}`)));
    });
  const [server, client] = await Promise.all([start('server', port2), start('client', port1)]);
  report(cfg, client, server);
  process.exit(0);
}

async function processMain(cfg: Config): Promise<void> {
  let listener: net.Server | null = null;
  let address = '';
  if (cfg.stream === 'pipe') {
    for (const name of ['to-server', 'to-client']) execFileSync('mkfifo', ['-m', '600', path.join(cfg.dir, name)]);
  } else if (cfg.stream === 'unix' || cfg.stream === 'tcp') {
    listener = net.createServer();
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
    ? fork(__filename, args, { stdio: [...stdio, 'ipc'], serialization: cfg.channel === 'ipc' ? 'advanced' : 'json' })
    : spawn(process.execPath, [__filename, ...args], { stdio });
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
  const incomingIsControl = cfg.pattern === 'rate';
  if (ipc) {
    link = messageLink(
      (value, written) => child.send(value as object, written),
      (h) => child.on('message', h),
      null,
    );
  } else if (cfg.stream === 'pipe') {
    const opened = fifoSockets(cfg.dir, 'client');
    const [input, output] = await Promise.race([opened, peerFailed]);
    for (const name of ['to-server', 'to-client']) fs.rmSync(path.join(cfg.dir, name), { force: true });
    link = streamLink(input, output, cfg.bytes, incomingIsControl, cfg.v8);
  } else {
    const server = listener!;
    const socket = await Promise.race([new Promise<net.Socket>((resolve) => server.once('connection', resolve)), peerFailed]);
    server.close(); // also unlinks the Unix socket's file
    socket.setNoDelay(true);
    link = streamLink(socket, socket, cfg.bytes, incomingIsControl, cfg.v8);
  }
  // A broken channel most often means the peer died: give its exit a moment to say so first.
  link.onError = (error) => setTimeout(() => fail(error, 'channel: '), 1000).unref();
  const mine = await Promise.race([drive(cfg, link), peerFailed]);
  const peer = await ended;
  report(cfg, mine, peer);
  process.exit(0);
}

if (parentPort) workerMain();
else {
  let cfg: ReturnType<typeof parseArgs>;
  try {
    cfg = parseArgs(process.argv.slice(2));
  } catch (error) {
    fail(error);
  }
  if (cfg.role === 'peer')
    peerMain(cfg, cfg.address).catch((error) => fail(error, cfg.pattern === 'roundtrip' ? 'server: ' : 'receiver: '));
  else (cfg.channel === 'port' ? portMain(cfg) : processMain(cfg)).catch((error) => fail(error));
}
