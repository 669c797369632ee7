/**
 * The direct read (lib/measure/direct-read.ts) with libuv played by the test: each read fills at
 * most the buffer the reader offers, as read(2) does, and the kernel's bytes are cut at every
 * boundary — inside a header, inside a body, between frames, many frames at once. The frames must
 * come out whole, each in memory of its own, the same as the chunked reader gives; a stream that
 * ends mid-frame or announces too much fails with the words the records use.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import { DirectFrameReader, frameReader, READ_WAY, readFileDirect } from '../../lib/measure/direct-read';
import { ChunkedFrameReader, FRAME_HEADER_BYTES, type FrameSource } from '../../lib/measure/wire';

/** Frames of these body lengths, one after another, and their bodies (each byte tells frame and place apart). */
function framesOf(...lengths: number[]): { bytes: Buffer; bodies: Buffer[] } {
  const bodies = lengths.map((length, f) => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + f * 31 + 1) & 0xff)));
  const parts = bodies.flatMap((body) => {
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    header.writeBigUInt64LE(BigInt(body.length));
    return [header, body];
  });
  return { bytes: Buffer.concat(parts), bodies };
}

/** A stand-in for the socket: a reader listens for 'end', 'error' (and 'data', chunked), may destroy it and resumes it. */
function fakeStream(): Readable & { destroyedByReader: boolean } {
  const stream = Object.assign(new EventEmitter(), {
    destroyedByReader: false,
    destroy() {
      stream.destroyedByReader = true;
    },
    resume() {},
  });
  return stream as unknown as Readable & { destroyedByReader: boolean };
}

/**
 * Play libuv: the kernel has `bytes`, handed over `cut(i)` bytes at a time (never more than the
 * buffer the reader offers); after each read the reader is asked for its next buffer, as Node asks
 * the onread buffer function. Returns how many reads it took.
 */
function feed(reader: FrameSource, bytes: Uint8Array, cut: (read: number) => number): number {
  const onread = reader.onread;
  assert.ok(onread, 'a direct reader has an onread');
  const next = () => (typeof onread.buffer === 'function' ? onread.buffer() : onread.buffer);
  let at = 0;
  let reads = 0;
  while (at < bytes.length) {
    const target = next();
    assert.ok(target.length > 0, `read ${reads}: an empty buffer (libuv would fail the read with ENOBUFS)`);
    const n = Math.min(target.length, Math.max(1, cut(reads)), bytes.length - at);
    target.set(bytes.subarray(at, at + n));
    at += n;
    reads++;
    onread.callback(n, target);
  }
  return reads;
}

/** The bodies a callback-mode reader handed out, and the reader. */
function collecting(options: { windowBytes?: number; maxFrameBytes?: number } = {}) {
  const got: Buffer[] = [];
  const failures: Error[] = [];
  const reader = new DirectFrameReader({ ...options, onFrame: (body) => got.push(body), onFailure: (error) => failures.push(error) });
  return { reader, got, failures };
}

const LENGTHS = [0, 5, 1, 24, 25, 8, 100, 3];

test('every single cut, and every read size, of a run of frames: each comes out whole (window 32 B: frames that fit it and frames that do not)', () => {
  const { bytes, bodies } = framesOf(...LENGTHS);
  for (let at = 0; at <= bytes.length; at++) {
    const { reader, got } = collecting({ windowBytes: 32 });
    feed(reader, bytes, (read) => (read === 0 ? at : bytes.length));
    assert.deepEqual(got, bodies, `cut at byte ${at}`);
  }
  for (let size = 1; size <= bytes.length; size++) {
    const { reader, got } = collecting({ windowBytes: 32 });
    feed(reader, bytes, () => size);
    assert.deepEqual(got, bodies, `reads of ${size} B`);
  }
});

test('a transfer reads its header into 8 bytes, then the body straight into a buffer of exactly its length', async () => {
  const { bytes, bodies } = framesOf(1000, 0, 64);
  const reader = new DirectFrameReader().read(fakeStream());
  const reads = feed(reader, bytes, () => 1 << 20);
  assert.equal(reads, 5, 'header, body, header (an empty body), header, body: a read never runs past its frame');
  for (const body of bodies) {
    const frame = await reader.next();
    assert.deepEqual(frame.body, body);
    assert.ok(frame.firstByteNs <= frame.lastByteNs);
    if (body.length > 0) {
      // Its own allocation, no larger than the frame: nothing of the next frame can have landed in it.
      assert.equal(frame.body.byteOffset, 0);
      assert.equal(frame.body.buffer.byteLength, body.length);
    }
  }
});

test('frames handed out from the window are copies of their own: later reads into the window do not change them', () => {
  const first = framesOf(3, 4, 5, 6, 7, 8, 9, 10);
  const { reader, got } = collecting({ windowBytes: 64 });
  feed(reader, first.bytes, () => 20);
  assert.deepEqual(got, first.bodies);
  const later = framesOf(...Array.from({ length: 40 }, (_, i) => 10 - (i % 10)));
  feed(reader, later.bytes, () => 37);
  assert.deepEqual(got.slice(0, first.bodies.length), first.bodies, 'unchanged after 40 more frames through the window');
  assert.deepEqual(got.slice(first.bodies.length).length, later.bodies.length);
});

test('the same bytes through the chunked reader give the same frames', async () => {
  const { bytes, bodies } = framesOf(...LENGTHS);
  const chunked = new ChunkedFrameReader();
  const stream = fakeStream();
  chunked.read(stream);
  for (let at = 0; at < bytes.length; at += 7) stream.emit('data', bytes.subarray(at, at + 7));
  for (const body of bodies) assert.deepEqual((await chunked.next()).body, body);
});

test('a peer that closes mid-body, mid-header, or between frames: the record words, and what came before still arrives', async () => {
  const { bytes } = framesOf(10, 40);
  const cases: [number, number | undefined, RegExp][] = [
    [FRAME_HEADER_BYTES + 10 + FRAME_HEADER_BYTES + 15, undefined, /^the peer closed the stream after 15 of 40 bytes of a frame$/],
    [FRAME_HEADER_BYTES + 10 + FRAME_HEADER_BYTES + 15, 64, /^the peer closed the stream after 15 of 40 bytes of a frame$/],
    [FRAME_HEADER_BYTES + 10 + 3, undefined, /^the peer closed the stream inside a frame header$/],
    [FRAME_HEADER_BYTES + 10 + 3, 64, /^the peer closed the stream inside a frame header$/],
    [FRAME_HEADER_BYTES + 10, 64, /^the peer closed the stream before a frame arrived$/],
  ];
  for (const [sent, windowBytes, words] of cases) {
    const stream = fakeStream();
    const reader = new DirectFrameReader({ windowBytes }).read(stream);
    feed(reader, bytes.subarray(0, sent), () => 6);
    stream.emit('end');
    assert.equal((await reader.next()).body.length, 10, `${sent} B, window ${windowBytes}: the whole first frame`);
    await assert.rejects(reader.next(), { message: words }, `${sent} B sent, window ${windowBytes ?? 8}`);
  }
});

test('a frame longer than announced: the announced bytes are the frame, the rest starts the next one, nothing past it in the body', async () => {
  const announced = framesOf(10).bytes;
  const extra = Buffer.from([1, 2, 3, 4, 5]);
  const stream = fakeStream();
  const reader = new DirectFrameReader().read(stream);
  feed(reader, Buffer.concat([announced, extra]), () => 1 << 20);
  stream.emit('end');
  const frame = await reader.next();
  assert.deepEqual(frame.body, framesOf(10).bodies[0]);
  assert.equal(frame.body.buffer.byteLength, 10);
  await assert.rejects(reader.next(), { message: /^the peer closed the stream inside a frame header$/ });
});

test('a header announcing more than allowed fails the reader and destroys the stream; later bytes are ignored', async () => {
  const { bytes } = framesOf(5, 2000, 5);
  for (const windowBytes of [undefined, 64]) {
    const stream = fakeStream();
    const { reader, got, failures } = collecting({ windowBytes, maxFrameBytes: 1000 });
    reader.read(stream);
    feed(reader, bytes, () => 100);
    assert.equal(got.length, 1, 'the frame before it arrived');
    assert.equal(failures.length, 1);
    assert.match(failures[0].message, /^frame of 2000 bytes is larger than the 1000 allowed: corrupt stream\?$/);
    assert.ok(stream.destroyedByReader);
  }
});

test('an error on the stream fails the waiting next() with it', async () => {
  const stream = fakeStream();
  const reader = new DirectFrameReader().read(stream);
  const waiting = reader.next();
  stream.emit('error', new Error('read ECONNRESET'));
  await assert.rejects(waiting, { message: /^read ECONNRESET$/ });
});

test('the way is chosen in one place: direct in Node, chunked when asked', () => {
  assert.equal(READ_WAY, 'direct');
  assert.equal(frameReader().way, 'direct');
  const chunked = frameReader({ way: 'chunked' });
  assert.equal(chunked.way, 'chunked');
  assert.equal(chunked.onread, undefined);
});

test('readFileDirect reads a file into one buffer of its size, its own allocation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-direct-read-'));
  try {
    const file = path.join(dir, 'body.bin');
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i & 0xff));
    fs.writeFileSync(file, data);
    const body = readFileDirect(file);
    assert.deepEqual(body, data);
    assert.equal(body.byteOffset, 0);
    fs.writeFileSync(file, '');
    assert.equal(readFileDirect(file).length, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
