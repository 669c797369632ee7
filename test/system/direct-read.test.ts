/**
 * The direct read over real channels (lib/measure/direct-read.ts): an accepted Unix socket adopted
 * by a socket given `onread`, a TCP socket that connects with it, a FIFO's fd. The writer cuts its
 * frames at every kind of boundary — inside a header, inside a body, a frame's end and the next
 * one's start in one write — and pauses between the pieces so that the reads really split there;
 * a writer process killed mid-body, and one that sends more than it announced. A system test: it
 * needs a second process to kill. Nothing is left behind: no handle, process or file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as v8 from 'node:v8';
import { leadFor } from '../../lib/measure/codecs/codec';
import { v8Codec } from '../../lib/measure/codecs/v8';
import { adoptAccepted, frameReader, serverOptions } from '../../lib/measure/direct-read';
import { readableFd } from '../../lib/measure/fd-streams';
import { FRAME_HEADER_BYTES, type FrameSource } from '../../lib/measure/wire';
import { type Isolation, isolate } from '../helpers/isolation';

let iso: Isolation;
before(() => (iso = isolate('direct-read')));
after(() => iso.dispose());

/** One frame's bytes: the 8-byte header announcing `announced` (the body's length unless said), then the body. */
function frame(body: Buffer, announced = body.length): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeBigUInt64LE(BigInt(announced));
  return Buffer.concat([header, body]);
}

const bodyOf = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 13 + seed) & 0xff));
/** Each test gives up after this long rather than hang (a connection the server never saw closed would). */
const TIMEOUT = { timeout: 20_000 };
const BODIES = [bodyOf(100_000, 1), bodyOf(3, 2), bodyOf(0, 3), bodyOf(70_000, 4)];

/** The frames' bytes cut inside the first header, inside the first body, and across the end of one frame and the start of the next. */
function piecesOf(bodies: readonly Buffer[]): Buffer[] {
  const bytes = Buffer.concat(bodies.map((body) => frame(body)));
  const cuts = [3, FRAME_HEADER_BYTES + 50_000, FRAME_HEADER_BYTES + 100_000 + 5, bytes.length - 20_000];
  return [0, ...cuts].map((at, i) => bytes.subarray(at, [...cuts, bytes.length][i]));
}

/** Write each piece, waiting until the reader has had time to read it alone. */
async function writeInPieces(socket: net.Socket, pieces: readonly Buffer[]): Promise<void> {
  for (const piece of pieces) {
    await new Promise<void>((resolve, reject) => socket.write(piece, (error) => (error ? reject(error) : resolve())));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

async function expectFrames(reader: FrameSource, bodies: readonly Buffer[]): Promise<void> {
  for (const [i, body] of bodies.entries()) {
    const got = (await reader.next()).body;
    assert.equal(got.length, body.length, `frame ${i}'s length`);
    assert.ok(got.equals(body), `frame ${i}'s bytes`);
  }
}

/** A Unix socket server that adopts its one connection for a direct reader; resolves with both once a client connected. */
async function unixReceiver(
  name: string,
): Promise<{ where: string; accepted: Promise<{ socket: net.Socket; reader: FrameSource }>; closed: Promise<void> }> {
  const where = path.join(iso.tmpRoot, name);
  const server = net.createServer(serverOptions());
  await new Promise<void>((resolve) => server.listen(where, resolve));
  const closed = new Promise<void>((resolve) => server.once('close', resolve));
  const accepted = new Promise<{ socket: net.Socket; reader: FrameSource }>((resolve) =>
    server.once('connection', (connection) => {
      server.close();
      const reader = frameReader();
      resolve({ socket: adoptAccepted(connection, reader.onread), reader });
    }),
  ).then(({ socket, reader }) => ({ socket, reader: reader.read(socket) }));
  return { where, accepted, closed };
}

/** Handles this process holds besides the baseline's (sockets, servers, pipes). */
const handles = () => process.getActiveResourcesInfo().filter((name) => /TCP|Pipe|Server/.test(name));

test(
  'an adopted Unix connection reads frames cut at every boundary, directly; then the server closes with nothing open',
  TIMEOUT,
  async () => {
    const baseline = handles().length;
    const { where, accepted, closed } = await unixReceiver('adopted.sock');
    const client = net.connect(where);
    const clientClosed = new Promise((resolve) => client.once('close', resolve));
    const { socket, reader } = await accepted;
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    assert.equal(reader.way, 'direct');
    await writeInPieces(client, piecesOf(BODIES));
    await expectFrames(reader, BODIES);
    client.end();
    await assert.rejects(reader.next(), { message: 'the peer closed the stream before a frame arrived' });
    socket.destroy();
    client.destroy();
    await closed; // the server counted its one connection closed: the old wrapper let go of it
    await Promise.all([clientClosed, socketClosed]);
    assert.equal(handles().length, baseline, handles().join(', '));
    assert.deepEqual(fs.readdirSync(iso.tmpRoot), [], 'the socket file is gone');
  },
);

test(
  'a TCP socket that connects with onread reads frames cut at every boundary, and one longer than announced stays its announced length',
  TIMEOUT,
  async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const writer = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const reader = frameReader();
    const socket = net.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, onread: reader.onread });
    reader.read(socket);
    const peer = await writer;
    server.close();
    await writeInPieces(peer, piecesOf(BODIES));
    await expectFrames(reader, BODIES);
    // 10 bytes announced, 15 sent: the frame is the 10; the 5 after it are the start of a header.
    await writeInPieces(peer, [frame(bodyOf(15, 9), 10)]);
    peer.end();
    const short = await reader.next();
    assert.ok(short.body.equals(bodyOf(15, 9).subarray(0, 10)));
    assert.equal(short.body.buffer.byteLength, 10, 'nothing past the announced bytes in its buffer');
    await assert.rejects(reader.next(), { message: 'the peer closed the stream inside a frame header' });
    socket.destroy();
  },
);

test("a FIFO's fd read directly: frames cut at every boundary", TIMEOUT, async () => {
  const fifo = path.join(iso.tmpRoot, 'frames.fifo');
  await new Promise<void>((resolve, reject) =>
    spawn('mkfifo', ['-m', '600', fifo]).once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo: ${code}`)))),
  );
  const reader = frameReader();
  const input = readableFd(fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK), reader.onread);
  reader.read(input);
  const output = new net.Socket({
    fd: fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK),
    readable: false,
    writable: true,
  });
  await writeInPieces(output, piecesOf(BODIES));
  await expectFrames(reader, BODIES);
  output.end();
  await assert.rejects(reader.next(), { message: 'the peer closed the stream before a frame arrived' });
  input.destroy();
  fs.rmSync(fifo);
});

test('a writer process killed mid-body: the reader says how far the frame came, and the process is gone', TIMEOUT, async () => {
  const { where, accepted, closed } = await unixReceiver('killed.sock');
  // Announces 1 MiB, writes 100 000 bytes of it, then kills itself once they are written.
  const script = `
    const net = require('node:net');
    const socket = net.connect(${JSON.stringify(where)}, () => {
      const header = Buffer.alloc(8);
      header.writeBigUInt64LE(${1 << 20}n);
      socket.write(Buffer.concat([header, Buffer.alloc(100000, 7)]), () => process.kill(process.pid, 'SIGKILL'));
    });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const { socket, reader } = await accepted;
  await assert.rejects(reader.next(), { message: `the peer closed the stream after 100000 of ${1 << 20} bytes of a frame` });
  assert.equal(await exited, 'SIGKILL');
  socket.destroy();
  await closed;
  assert.deepEqual(await iso.waitForNoProcesses(3000), []);
  assert.deepEqual(iso.leftoverFiles(), []);
});

test(
  "a v8 Int32Array over TCP, read with the codec's lead, decodes as a view of the body the reader received (100 000 int32: a 7-byte header)",
  TIMEOUT,
  async () => {
    const sent = Int32Array.from({ length: 100_000 }, (_, i) => i * 5 - 3);
    const body = v8.serialize(sent);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const writer = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const reader = frameReader({ bodyLead: leadFor(v8Codec, 'int32') });
    const socket = net.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, onread: reader.onread });
    reader.read(socket);
    const peer = await writer;
    server.close();
    // Cut inside the v8 header and inside the elements: the body is read in pieces into its place.
    const bytes = frame(body);
    await writeInPieces(peer, [
      bytes.subarray(0, FRAME_HEADER_BYTES + 5),
      bytes.subarray(FRAME_HEADER_BYTES + 5, 200_000),
      bytes.subarray(200_000),
    ]);
    const got = (await reader.next()).body;
    const decoded = v8Codec.decode(got, 'int32') as Int32Array;
    assert.deepEqual(decoded, sent);
    assert.equal(decoded.buffer, got.buffer, 'a view of the received body: deserialize copied nothing');
    peer.destroy();
    socket.destroy();
  },
);
