/**
 * v8's body lead (lib/measure/codecs/v8.ts): Node's v8.deserialize hands back an Int32Array as a
 * view of the body only when its elements sit at a multiple of 4 in the body's ArrayBuffer, and
 * the header before them grows with the body (its byte length is a varint). Each receiver that
 * allocates a body — the direct and the chunked frame reader, the file read, the floor's decode —
 * leaves the codec's lead free before it, so the decoded array is the received body's own memory,
 * no copy. The sizes here are small: 1000 int32 have a 6-byte header, misaligned like 10^8's 9.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import * as v8 from 'node:v8';
import { leadFor } from '../../lib/measure/codecs/codec';
import { CODECS } from '../../lib/measure/codecs/index';
import { int32DataOffset, v8Codec, varintBytes } from '../../lib/measure/codecs/v8';
import { DirectFrameReader, readFileDirect } from '../../lib/measure/direct-read';
import { freshBody } from '../../lib/measure/floor-ops';
import { brokerReader, HEAD_BYTES, head, OP } from '../../lib/measure/transports/manager-broker';
import { ChunkedFrameReader, FRAME_HEADER_BYTES, type FrameSource } from '../../lib/measure/wire';

const int32Lead = leadFor(v8Codec, 'int32');

/** v8's bytes of an Int32Array of `elements` (each element tells its place apart). */
function serializedInt32(elements: number): Buffer {
  return v8.serialize(Int32Array.from({ length: elements }, (_, i) => i * 3 - 7));
}

/** The bytes of one frame carrying `body`. */
function frameOf(body: Uint8Array): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeBigUInt64LE(BigInt(body.byteLength));
  return Buffer.concat([header, body]);
}

/** A stand-in for the socket: the readers listen for 'end', 'error' and 'data', and resume it. */
function fakeStream(): Readable {
  return Object.assign(new EventEmitter(), { destroy() {}, resume() {} }) as unknown as Readable;
}

/** Play libuv for a direct reader: fill each buffer it offers, `cut` bytes at most a read. */
function feedDirect(reader: FrameSource, bytes: Uint8Array, cut: number): void {
  const onread = reader.onread;
  assert.ok(onread && typeof onread.buffer === 'function');
  for (let at = 0; at < bytes.length; ) {
    const target = onread.buffer();
    const n = Math.min(target.length, cut, bytes.length - at);
    target.set(bytes.subarray(at, at + n));
    at += n;
    onread.callback(n, target);
  }
}

/** Decode `body` as v8's int32 and say whether the array is a view of the body's own memory. */
function decodedInPlace(body: Uint8Array): boolean {
  const decoded = v8Codec.decode(body, 'int32') as Int32Array;
  assert.deepEqual(decoded, new Int32Array(v8.deserialize(Buffer.from(body)) as Int32Array), 'the elements as sent');
  return decoded.buffer === body.buffer;
}

test('int32DataOffset is where v8.serialize puts the elements, across every varint length of the byte length', () => {
  // Element counts on both sides of each varint step (byte lengths 2^7, 2^14, 2^21), and 10^7.
  for (const elements of [0, 1, 31, 32, 4095, 4096, 524_287, 524_288, 10_000_000]) {
    const body = serializedInt32(elements);
    assert.equal(int32DataOffset(body.length), body.length - 4 * elements, `${elements} elements`);
  }
  // 10^8 int32 without building 400 MB: its byte length needs a fifth varint byte (≥ 2^28).
  assert.equal(varintBytes(4e8), 5);
  const prefixBytes = serializedInt32(0).length - 1;
  assert.equal(int32DataOffset(4e8 + prefixBytes + 5), prefixBytes + 5);
  assert.equal(int32DataOffset(4e7 + prefixBytes + 4), prefixBytes + 4);
  assert.equal(int32DataOffset(2), null, 'shorter than any serialized Int32Array');
});

test("v8's lead puts the elements on a multiple of 4: 3 bytes at 10^8 (9-byte header), none at 10^7 (8)", () => {
  const prefixBytes = serializedInt32(0).length - 1;
  assert.equal(prefixBytes + 5, 9, "Node's prefix is 4 bytes: 0xFF, version, host-object tag, view type");
  assert.equal(v8Codec.bodyLead?.('int32', 4e8 + 9), 3);
  assert.equal(v8Codec.bodyLead?.('int32', 4e7 + 8), 0);
  for (const elements of [1, 32, 1000, 524_288]) {
    const bodyBytes = serializedInt32(elements).length;
    assert.equal(((int32Lead?.(bodyBytes) ?? 0) + bodyBytes - 4 * elements) % 4, 0, `${elements} elements`);
  }
  assert.equal(v8Codec.bodyLead?.('list', 4e8 + 9), 0, 'a list has no elements to view');
});

test('only v8 asks for a lead: every other codec reads its body from the buffer start as before', () => {
  for (const codec of Object.values(CODECS)) {
    if (codec.id !== 'v8') assert.equal(leadFor(codec, 'int32'), undefined, codec.id);
  }
});

test('a v8 Int32Array read by the direct reader with the lead decodes as a view of the received body; without it, a copy', () => {
  const frame = frameOf(serializedInt32(1000));
  const got: Buffer[] = [];
  const withLead = new DirectFrameReader({ bodyLead: int32Lead, onFrame: (body) => got.push(body) }).read(fakeStream());
  feedDirect(withLead, frame, 777);
  const without = new DirectFrameReader({ onFrame: (body) => got.push(body) }).read(fakeStream());
  feedDirect(without, frame, 777);
  assert.equal(got.length, 2);
  assert.equal(got[0].byteOffset, 2, 'a 6-byte header: 2 bytes of lead');
  assert.equal(got[0].buffer.byteLength, 2 + got[0].length, 'its own allocation, nothing more');
  assert.ok(decodedInPlace(got[0]), 'with the lead: no copy');
  assert.ok(!decodedInPlace(got[1]), 'without it, deserialize copies (what the lead removes)');
});

test('the chunked reader (Bun) places a body that spans chunks the same way', async () => {
  const reader = new ChunkedFrameReader({ bodyLead: int32Lead });
  const stream = fakeStream();
  reader.read(stream);
  const frame = frameOf(serializedInt32(1000));
  for (let at = 0; at < frame.length; at += 1024) stream.emit('data', frame.subarray(at, at + 1024));
  assert.ok(decodedInPlace((await reader.next()).body));
});

test("the file transport's read and the floor's fresh body place a v8 Int32Array as the frame reader does", () => {
  const bytes = serializedInt32(1000);
  assert.ok(decodedInPlace(freshBody([bytes], int32Lead)), "the floor's decode: a view");
  assert.ok(!decodedInPlace(freshBody([bytes])), 'without the lead: a copy');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-v8-lead-'));
  try {
    const file = path.join(dir, 'body.bin');
    fs.writeFileSync(file, bytes);
    const body = readFileDirect(file, int32Lead);
    assert.equal(body.byteOffset, 2);
    assert.ok(decodedInPlace(body), 'the file read: a view');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the manager's reader places the value after a frame's 8-byte head as the frame reader places a body", async () => {
  // Larger than the broker's 64 KiB window, so the frame gets a buffer of its own; 20 000 int32
  // have a 7-byte header (a 3-byte varint), misaligned.
  const value = serializedInt32(20_000);
  assert.notEqual(int32DataOffset(value.length)! % 4, 0, 'the case the lead is for');
  const frame = frameOf(Buffer.concat([head(OP.append), value]));
  const receivedValue = async (lead: typeof int32Lead) => {
    const reader = brokerReader(lead).read(fakeStream());
    feedDirect(reader, frame, 4096);
    return (await reader.next()).body.subarray(HEAD_BYTES);
  };
  assert.ok(decodedInPlace(await receivedValue(int32Lead)), 'with the lead: a view');
  assert.ok(!decodedInPlace(await receivedValue(undefined)), 'without it: a copy');
});
