import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { nowNs } from '../../lib/measure/clock';
import { rawCodec } from '../../lib/measure/codecs/raw';
import { onLines, type PeerMessage, type PeerResult, type RunnerMessage, sendLine } from '../../lib/measure/control';
import {
  decodeHandoffHeader,
  encodeHandoffHeader,
  HANDOFF_HEADER_BYTES,
  HANDOFF_KIND,
  handoffNative,
} from '../../lib/measure/handoff-memory';
import { verifyPayload } from '../../lib/measure/payload';
import type { PeerConfig } from '../../lib/measure/peer';
import { writeHalfFrame } from '../../lib/measure/transports/common';
import { ChunkedFrameReader, writeFrame } from '../../lib/measure/wire';
import { CPYTHON_PACKAGES_DIR, PAIR_PEER_PY, REPO_ROOT } from '../../lib/model/paths';
import type { Fault, TransferSpec } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * The CPython pair peer (lib/measure/cpython/pair_peer.py) driven from Node as the runner drives
 * it: spawned in its own process group with its control channel on fd 3 (a socketpair, as
 * launch.ts makes it), the runner's side of the protocol played here, and the other peer played
 * by Node's own frame and codec code — or, for the hand-overs, by a second Python peer. Every
 * case ends with the peer's exit status; afterwards no process of this file may live, and no
 * file may remain in its temp roots or in /dev/shm.
 */

const PYTHON = '/usr/bin/python3';
const N = 1000;

function pythonLacks(module: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { env, stdio: 'ignore' }).status !== 0;
}

const NO_NUMPY = pythonLacks('numpy') ? `${PYTHON} lacks numpy (apt-get install -y python3-numpy)` : false;
const PEER_ENV = { ...process.env, PYTHONPATH: CPYTHON_PACKAGES_DIR };
const NO_PYARROW = NO_NUMPY || (pythonLacks('pyarrow', PEER_ENV) ? `pyarrow is not in ${CPYTHON_PACKAGES_DIR}` : false);
/** The Node side of a hand-over needs the addon's SCM_RIGHTS calls (native/handoff_socket.c, built by npm ci). */
const native = handoffNative();
const NO_HANDOFF_ADDON =
  NO_NUMPY || (typeof native.recvHandoff !== 'function' ? 'the addon has no recvHandoff: rebuild it (npm ci)' : false);

let iso: Isolation;
/** The private dirs each peer was given, as the runner makes them; the runner removes them. */
const runDirs: string[] = [];
/** What a Python peer could leave in /dev/shm: our hand-over names, SharedMemory's default names. */
const ours = (name: string) => name.startsWith(`ipc-lab-region-p${process.pid}-`) || name.startsWith('psm_');
let shmBefore: string[] = [];
before(() => {
  iso = isolate('pair-peer');
  shmBefore = fs.readdirSync('/dev/shm').filter(ours);
});
after(async () => {
  const alive = await iso.waitForNoProcesses();
  const leftInRunDirs = runDirs.flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f)));
  for (const dir of runDirs) fs.rmSync(dir, { recursive: true, force: true });
  const left = iso.leftoverFiles();
  const shmAfter = fs.readdirSync('/dev/shm').filter((f) => ours(f) && !shmBefore.includes(f));
  iso.dispose();
  assert.deepEqual(alive, [], 'processes left running (a peer, a resource tracker)');
  assert.deepEqual(leftInRunDirs, [], 'files a peer left in its private dirs');
  assert.deepEqual(left, [], 'files left in the temp roots');
  assert.deepEqual(shmAfter, [], 'files left in /dev/shm');
});

/** One running Python peer and the runner's end of its control channel. */
interface Peer {
  child: ChildProcess;
  /** The next message of this type (or a failure), in arrival order. */
  next(type: PeerMessage['type']): Promise<PeerMessage>;
  send(message: RunnerMessage): void;
  stderr(): string;
  /** Its exit code, or the signal that ended it. */
  exited: Promise<string>;
}

function startPeer(config: PeerConfig, env: NodeJS.ProcessEnv = PEER_ENV): Peer {
  const child = spawn(PYTHON, [PAIR_PEER_PY, JSON.stringify(config)], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'ignore', 'pipe'],
    env: { ...env, IPC_LAB_TAG: iso.tag },
  });
  const control = child.stdio[3] as net.Socket;
  const inbox: PeerMessage[] = [];
  let wake: () => void = () => undefined;
  onLines(control, (message) => {
    inbox.push(message as PeerMessage);
    wake();
  });
  control.on('error', () => undefined);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
  return {
    child,
    async next(type) {
      for (;;) {
        const at = inbox.findIndex((m) => m.type === type || m.type === 'failed');
        if (at >= 0) return inbox.splice(at, 1)[0];
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    send: (message) => sendLine(control, message),
    stderr: () => stderr,
    exited,
  };
}

function config(role: 'sender' | 'receiver', spec: Partial<TransferSpec>, fault: Fault = 'none', prepared = {}): PeerConfig {
  const tmpDir = fs.mkdtempSync(path.join(iso.tmpRoot, 'run-'));
  const shmDir = fs.mkdtempSync(path.join(iso.shmRoot, 'run-'));
  runDirs.push(tmpDir, shmDir);
  const full: TransferSpec = { runtime: 'node', receiverRuntime: 'cpython', transport: 'unix', payload: 'int32', sizeElements: N, ...spec };
  return { tmpDir, shmDir, spec: full, role, fault, heapLimitMb: 0, prepared };
}

function integers(n: number): Int32Array {
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return values;
}

/** A region name as the runner's prepare makes it (unique; the sender creates the region). */
function regionPath(): string {
  const dir = fs.mkdtempSync(`/dev/shm/ipc-lab-region-p${process.pid}-`);
  fs.rmdirSync(dir);
  return dir;
}

function connect(where: net.NetConnectOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = net.connect(where, () => resolve(socket));
    socket.once('error', reject);
  });
}

async function result(peer: Peer, type: 'result' | 'failed' = 'result'): Promise<PeerMessage> {
  const message = await peer.next('result');
  assert.equal(message.type, type, `${JSON.stringify(message)} (stderr: ${peer.stderr()})`);
  return message;
}

/** Stop a peer as the runner does and expect its exit status and a quiet stderr. */
async function stop(peer: Peer, status: string): Promise<void> {
  peer.send({ type: 'stop' });
  assert.equal(await peer.exited, status);
  assert.equal(peer.stderr(), '', 'nothing on stderr (no traceback, no resource tracker warning)');
}

/** A Python receiver over a Unix socket, fed by Node: ready, peers, connect, armed, go, one frame. */
async function feedReceiver(
  codec: 'raw' | 'arrow',
  body: Uint8Array[],
  half = false,
): Promise<{ peer: Peer; report: PeerMessage; sentNs: bigint }> {
  const peer = startPeer(config('receiver', { transport: 'unix', codec }));
  const ready = await peer.next('ready');
  assert.equal(ready.type, 'ready');
  if (ready.type !== 'ready') throw new Error('unreachable');
  assert.equal(ready.role, 'receiver');
  assert.equal(ready.pid, peer.child.pid);
  const socketPath = String(ready.info.path);
  assert.equal(path.basename(socketPath), 'receiver.sock');
  assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600, 'the socket file is born 0600');
  peer.send({ type: 'peers', info: ready.info });
  const socket = await connect({ path: socketPath });
  await peer.next('armed');
  assert.equal(fs.existsSync(socketPath), false, 'the listener is closed and its file removed once connected');
  peer.send({ type: 'go' });
  const sentNs = nowNs();
  await (half ? writeHalfFrame(socket, body) : writeFrame(socket, body));
  socket.end();
  return { peer, report: await peer.next('result'), sentNs };
}

function assertReceiverResult(result: PeerResult, sentNs: bigint): void {
  assert.equal(result.role, 'receiver');
  assert.equal(result.verifyError, null);
  assert.match(String(result.heldNs), /^\d+$/);
  const heldNs = BigInt(String(result.heldNs));
  assert.ok(heldNs > sentNs && heldNs < nowNs(), 'heldNs is CLOCK_MONOTONIC, after the send began');
  for (const key of ['recvSeconds', 'decodeSeconds', 'verifySeconds'] as const) {
    assert.ok(typeof result[key] === 'number' && (result[key] as number) >= 0 && (result[key] as number) < 5, `${key} = ${result[key]}`);
  }
  assert.equal(result.copies, 1);
  assert.equal(result.firstTouch, 'receiver');
  assert.match(String(result.runtimeVersion), /^3\.\d+\.\d+$/);
  assert.ok(result.peakRssBytes > 1e6, `peakRssBytes = ${result.peakRssBytes}`);
}

test('a Python receiver over a Unix socket takes a raw frame from Node and verifies it', { skip: NO_NUMPY }, async () => {
  const { peer, report, sentNs } = await feedReceiver('raw', rawCodec.encode(integers(N)));
  assert.equal(report.type, 'result', JSON.stringify(report));
  if (report.type === 'result') assertReceiverResult(report.result, sentNs);
  await stop(peer, '0');
});

test('a Python receiver decodes an Arrow IPC stream that apache-arrow wrote', { skip: NO_PYARROW }, async () => {
  const stream = tableToIPC(tableFromArrays({ v: integers(N) }), 'stream');
  const { peer, report, sentNs } = await feedReceiver('arrow', [stream]);
  assert.equal(report.type, 'result', JSON.stringify(report));
  if (report.type === 'result') assertReceiverResult(report.result, sentNs);
  await stop(peer, '0');
});

test('a frame cut short fails the Python receiver in transfer, in one line', { skip: NO_NUMPY }, async () => {
  const { peer, report } = await feedReceiver('raw', rawCodec.encode(integers(N)), true);
  const body = 16 + 4 * N;
  assert.deepEqual(report, {
    type: 'failed',
    role: 'receiver',
    phase: 'transfer',
    error: `the peer closed the stream after ${body >> 1} of ${body} bytes of a frame`,
  });
  await stop(peer, '1');
});

test('a corrupt Python sender over TCP: Node reads its raw frame and names the bad element', { skip: NO_NUMPY }, async () => {
  const peer = startPeer(config('sender', { runtime: 'cpython', receiverRuntime: 'node', transport: 'tcp', codec: 'raw' }, 'corrupt'));
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const ready = await peer.next('ready');
  assert.equal(ready.type, 'ready', JSON.stringify(ready));
  peer.send({ type: 'peers', info: { port: (server.address() as net.AddressInfo).port } });
  const socket = await accepted;
  server.close();
  const reader = new ChunkedFrameReader().read(socket);
  await peer.next('armed');
  peer.send({ type: 'go' });
  const frame = await reader.next();
  const data = rawCodec.decode(frame.body, 'int32');
  assert.equal(verifyPayload(data, N), `element ${N >> 1} is -1, expected ${N >> 1}`);
  const report = await result(peer);
  if (report.type !== 'result') return;
  const r = report.result;
  assert.equal(r.role, 'sender');
  assert.ok(BigInt(String(r.startNs)) < frame.firstByteNs, 'startNs precedes the first byte Node saw');
  assert.equal(r.bytes, 16 + 4 * N);
  assert.equal(r.memory, 'n/a');
  assert.equal(r.copies, 1);
  for (const key of ['buildSeconds', 'encodeSeconds', 'sendSeconds'] as const) {
    assert.ok(typeof r[key] === 'number' && (r[key] as number) >= 0, `${key} = ${r[key]}`);
  }
  socket.destroy();
  await stop(peer, '0');
});

test("a Python sender over 'pipe' writes its frame to fd 5", { skip: NO_NUMPY }, async () => {
  // The runner's sh joins two peers with pipe(2); here fd 5 is one end of a socketpair that Node
  // reads: the same read and write calls, the same bytes.
  const peer = startPeer(config('sender', { runtime: 'cpython', receiverRuntime: 'node', transport: 'pipe', codec: 'raw' }));
  const reader = new ChunkedFrameReader().read((peer.child.stdio as readonly unknown[])[5] as Readable);
  await peer.next('ready');
  peer.send({ type: 'peers', info: {} });
  await peer.next('armed');
  peer.send({ type: 'go' });
  const frame = await reader.next();
  assert.equal(verifyPayload(rawCodec.decode(frame.body, 'int32'), N), null);
  const report = await result(peer);
  if (report.type === 'result') assert.ok(report.result.sendSeconds! >= report.result.encodeSeconds!, 'the pipe: send includes encode');
  await stop(peer, '0');
});

/** Both roles in Python, the runner's part played here: ready, merged peers, armed, go, reports. */
async function pythonPair(transport: 'handoff' | 'handoff-name', fault: Fault, prepared = {}) {
  const spec = { runtime: 'cpython' as const, receiverRuntime: 'cpython' as const, transport, codec: 'none' as const };
  const receiver = startPeer(config('receiver', spec, fault, prepared));
  const sender = startPeer(config('sender', spec, fault, prepared));
  const peers = [receiver, sender];
  const info = {};
  for (const peer of peers) {
    const ready = await peer.next('ready');
    assert.equal(ready.type, 'ready', `${JSON.stringify(ready)} ${peer.stderr()}`);
    if (ready.type === 'ready') Object.assign(info, ready.info);
  }
  for (const peer of peers) peer.send({ type: 'peers', info });
  for (const peer of peers) assert.equal((await peer.next('armed')).type, 'armed');
  for (const peer of peers) peer.send({ type: 'go' });
  return { receiver, sender, received: await receiver.next('result'), sent: await sender.next('result') };
}

test('a memfd hand-over between two Python peers: sealed, mapped read-only, verified, no copy', { skip: NO_NUMPY }, async () => {
  const { receiver, sender, received, sent } = await pythonPair('handoff', 'none');
  assert.equal(received.type, 'result', JSON.stringify(received));
  assert.equal(sent.type, 'result', JSON.stringify(sent));
  if (received.type !== 'result' || sent.type !== 'result') return;
  assert.equal(received.result.verifyError, null);
  assert.equal(received.result.copies, 0);
  assert.equal(received.result.firstTouch, 'sender');
  assert.equal(received.result.decodeSeconds, null);
  assert.ok(BigInt(String(received.result.heldNs)) > BigInt(String(sent.result.startNs)));
  assert.equal(sent.result.encodeSeconds, null);
  assert.equal(sent.result.memory, 'fresh');
  assert.equal(sent.result.copies, 0);
  assert.equal(sent.result.bytes, 4 * N);
  await stop(receiver, '0');
  await stop(sender, '0');
});

test('a memfd smaller than announced is refused by the Python receiver', { skip: NO_NUMPY }, async () => {
  const { receiver, sender, received } = await pythonPair('handoff', 'close-early');
  assert.deepEqual(received, {
    type: 'failed',
    role: 'receiver',
    phase: 'transfer',
    error: `the hand-over holds ${2 * N} bytes, fewer than the ${4 * N} announced`,
  });
  await stop(receiver, '1');
  await stop(sender, '0');
});

test("a hand-over by name: SharedMemory in /dev/shm, the runner's to unlink, no tracker warning", { skip: NO_NUMPY }, async () => {
  const shmPath = regionPath();
  try {
    const { receiver, sender, received, sent } = await pythonPair('handoff-name', 'none', { shmPath });
    assert.equal(received.type, 'result', JSON.stringify(received));
    assert.equal(sent.type, 'result', JSON.stringify(sent));
    if (received.type === 'result') assert.equal(received.result.verifyError, null);
    assert.equal(fs.statSync(shmPath).mode & 0o777, 0o400);
    await stop(receiver, '0');
    await stop(sender, '0');
    await iso.waitForNoProcesses(); // the resource trackers too: they unlink what is still registered
    assert.equal(fs.statSync(shmPath).size, 4 * N, 'the name outlives both peers (the runner unlinks it)');
  } finally {
    fs.rmSync(shmPath, { force: true });
  }
});

/** All four seals the sender adds: F_SEAL_SEAL 1, SHRINK 2, GROW 4, FUTURE_WRITE 0x10. */
const SEALS = 0x17;

for (const transport of ['handoff', 'handoff-name'] as const) {
  test(`${transport}: a Python sender hands its region to a Node receiver (the addon's recvmsg and read-only map)`, {
    skip: NO_HANDOFF_ADDON,
  }, async () => {
    const shmPath = transport === 'handoff-name' ? regionPath() : undefined;
    const spec = { runtime: 'cpython' as const, receiverRuntime: 'node' as const, transport, codec: 'none' as const };
    const senderConfig = config('sender', spec, 'none', shmPath ? { shmPath } : {});
    const sender = startPeer(senderConfig);
    // The Node receiver's socket, where handoff.ts puts it: in its own private dir.
    const socketPath = path.join(senderConfig.tmpDir, 'handoff.sock');
    const listenFd = native.unixListen(socketPath);
    const open: number[] = [listenFd];
    try {
      assert.equal((await sender.next('ready')).type, 'ready', sender.stderr());
      sender.send({ type: 'peers', info: { path: socketPath } });
      const sock = native.unixAccept(listenFd); // the peer connects on its own: blocking is fine here
      open.push(sock);
      await sender.next('armed');
      sender.send({ type: 'go' });
      let message = native.recvHandoff(sock, HANDOFF_HEADER_BYTES);
      while (!message) {
        await new Promise((resolve) => setImmediate(resolve));
        message = native.recvHandoff(sock, HANDOFF_HEADER_BYTES);
      }
      const header = decodeHandoffHeader(message.header);
      assert.deepEqual(header, { kind: shmPath ? HANDOFF_KIND.name : HANDOFF_KIND.memfd, sizeElements: N });
      let buffer: ArrayBuffer;
      if (shmPath) {
        assert.equal(message.fd, -1);
        assert.equal(fs.statSync(shmPath).mode & 0o777, 0o400);
        buffer = native.mapPathReadOnly(shmPath, 4 * N);
      } else {
        open.push(message.fd);
        assert.equal(native.seals(message.fd), SEALS);
        buffer = native.mapReadOnly(message.fd, 4 * N);
      }
      assert.equal(verifyPayload(new Int32Array(buffer, 0, N), N), null);
      // Closing our end tells the sender we hold the pages (it waits for that before it reports).
      native.closeFd(open.splice(open.indexOf(sock), 1)[0]);
      const report = await result(sender);
      if (report.type === 'result') {
        assert.equal(report.result.copies, 0);
        assert.equal(report.result.memory, 'fresh');
        assert.equal(report.result.encodeSeconds, null);
      }
      await stop(sender, '0');
    } finally {
      for (const fd of open) native.closeFd(fd);
      fs.rmSync(socketPath, { force: true }); // ours (the Node side's), not the peer's
      if (shmPath) fs.rmSync(shmPath, { force: true });
    }
  });

  test(`${transport}: a Node sender hands its region to a Python receiver`, { skip: NO_HANDOFF_ADDON }, async () => {
    const shmPath = transport === 'handoff-name' ? regionPath() : undefined;
    const spec = { runtime: 'node' as const, receiverRuntime: 'cpython' as const, transport, codec: 'none' as const };
    const receiver = startPeer(config('receiver', spec, 'none', shmPath ? { shmPath } : {}));
    const open: number[] = [];
    try {
      const ready = await receiver.next('ready');
      if (ready.type !== 'ready') assert.fail(`${JSON.stringify(ready)} ${receiver.stderr()}`);
      receiver.send({ type: 'peers', info: ready.info });
      const sock = native.unixConnect(String(ready.info.path));
      open.push(sock);
      await receiver.next('armed');
      const region = shmPath ? { fd: -1, buffer: native.createNamed(shmPath, 4 * N) } : native.memfdCreate(4 * N);
      if (region.fd >= 0) open.push(region.fd);
      new Int32Array(region.buffer).set(integers(N));
      receiver.send({ type: 'go' });
      const sentNs = nowNs();
      if (shmPath) fs.chmodSync(shmPath, 0o400);
      else native.seal(region.fd);
      native.sendHandoff(sock, encodeHandoffHeader({ kind: shmPath ? HANDOFF_KIND.name : HANDOFF_KIND.memfd, sizeElements: N }), region.fd);
      const report = await result(receiver);
      if (report.type === 'result') {
        const r = report.result;
        assert.equal(r.verifyError, null);
        assert.ok(BigInt(String(r.heldNs)) > sentNs);
        assert.equal(r.copies, 0);
        assert.equal(r.firstTouch, 'sender');
        assert.equal(r.decodeSeconds, null);
      }
      await stop(receiver, '0');
      if (shmPath) {
        await iso.waitForNoProcesses(); // its resource tracker too
        assert.ok(fs.existsSync(shmPath), 'the Python receiver left the name to the runner');
      }
    } finally {
      for (const fd of open) native.closeFd(fd);
      if (shmPath) fs.rmSync(shmPath, { force: true });
    }
  });
}

test('without pyarrow the peer fails in limits before ready, in one line', { skip: NO_NUMPY }, async () => {
  const env = { ...process.env, PYTHONPATH: '' };
  if (!pythonLacks('pyarrow', env)) return; // pyarrow installed system-wide: nothing to show
  const peer = startPeer(config('receiver', { codec: 'arrow' }), env);
  const report = await peer.next('ready');
  assert.equal(report.type, 'failed');
  if (report.type === 'failed') {
    assert.equal(report.phase, 'limits');
    assert.match(report.error, /^pyarrow is not installed for \/usr\/bin\/python3: run `npx ts-node tools\/setup\/setup.ts`/);
  }
  await stop(peer, '1');
});

test('the peer leaves at once when the control channel ends, and dies of SIGTERM after removing its socket', {
  skip: NO_NUMPY,
}, async () => {
  const orphan = startPeer(config('receiver', { codec: 'raw' }));
  await orphan.next('ready');
  (orphan.child.stdio[3] as net.Socket).destroy();
  assert.equal(await orphan.exited, '1');

  const termed = startPeer(config('receiver', { codec: 'raw' }));
  const ready = await termed.next('ready');
  if (ready.type !== 'ready') assert.fail(JSON.stringify(ready));
  termed.child.kill('SIGTERM');
  assert.equal(await termed.exited, 'SIGTERM');
  assert.equal(fs.existsSync(String(ready.info.path)), false, 'the socket file is gone');
});
