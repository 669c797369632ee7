import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_RING_CAPACITY_BYTES,
  MIN_RING_CAPACITY_BYTES,
  RING_HEADER_BYTES,
  Ring,
  recordBytes,
  ringAt,
  ringCapacityFor,
  ringRegionBytes,
} from '../../lib/measure/ring-buffer';

// The ring of the `ring` transports, in one thread over a plain ArrayBuffer: the writer and the
// reader are the same code either way, only their waiting differs (tested in the system test).

/** A record body of `bytes` whose every byte says which record it is and where: a misplaced byte shows. */
function body(record: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (record * 7 + i) & 0xff;
  return out;
}

function fresh(capacityBytes: number): Ring {
  return ringAt(new ArrayBuffer(ringRegionBytes(capacityBytes)), 0, capacityBytes);
}

test('a record takes its 4-byte length and its body, padded to 4; capacities are powers of two from 1 to 64 MiB', () => {
  assert.deepEqual([0, 1, 4, 5, 60, 61].map(recordBytes), [4, 8, 8, 12, 64, 68]);
  assert.equal(ringCapacityFor(64), MIN_RING_CAPACITY_BYTES);
  assert.equal(ringCapacityFor(300_000), 2 ** 21, 'four records of 300 000 bytes need 1.2 MB: the next power of two');
  assert.equal(ringCapacityFor(2 ** 30), MAX_RING_CAPACITY_BYTES);
  assert.equal(ringRegionBytes(1024), RING_HEADER_BYTES + 1024);
});

test('records come out in the order they went in, each intact, and an empty ring gives null', () => {
  const ring = fresh(1024);
  assert.equal(ring.tryRead(), null);
  const sizes = [0, 1, 5, 64, 3, 100];
  for (const [i, size] of sizes.entries()) assert.equal(ring.tryWrite([body(i, size)]), true);
  for (const [i, size] of sizes.entries()) assert.deepEqual(ring.tryRead(), body(i, size), `record ${i}`);
  assert.equal(ring.tryRead(), null);
  assert.equal(ring.usedBytes(), 0);
});

test('a body given in several chunks arrives as one record', () => {
  const ring = fresh(64);
  const whole = body(3, 30);
  assert.equal(ring.tryWrite([whole.subarray(0, 7), whole.subarray(7, 7), whole.subarray(7)]), true);
  assert.deepEqual(ring.tryRead(), whole);
});

test('records wrap around the end of the data area, the prefix never split, for many laps', () => {
  const ring = fresh(64);
  // 13-byte bodies take 20 bytes: positions 0, 20, 40, 60 (prefix at 60–63, body wraps to 0–12) …
  for (let i = 0; i < 1000; i++) {
    assert.equal(ring.tryWrite([body(i, 13)]), true, `write ${i}`);
    if (i % 2 === 1) {
      assert.deepEqual(ring.tryRead(), body(i - 1, 13), `read ${i - 1}`);
      assert.deepEqual(ring.tryRead(), body(i, 13), `read ${i}`);
    }
  }
  assert.equal(ring.tryRead(), null);
});

test('the free-running indices wrap at 2^32 without losing a record', () => {
  const ring = fresh(64);
  // As if 2^32 − 8 bytes had already passed through: the next record crosses the counters' wrap.
  ring.header[0] = -8;
  ring.header[16] = -8;
  for (let i = 0; i < 10; i++) {
    assert.equal(ring.tryWrite([body(i, 10)]), true);
    assert.deepEqual(ring.tryRead(), body(i, 10));
  }
  assert.equal(ring.usedBytes(), 0);
});

test('a full ring refuses a write without writing anything, and takes it once the reader made room', () => {
  const ring = fresh(64);
  for (let i = 0; i < 4; i++) assert.equal(ring.tryWrite([body(i, 12)]), true); // 4 × 16 bytes: full
  assert.equal(ring.usedBytes(), 64);
  const before = new Uint8Array(ring.data).slice();
  assert.equal(ring.tryWrite([body(9, 1)]), false);
  assert.deepEqual(new Uint8Array(ring.data), before, 'a refused write leaves the data alone');
  assert.equal(ring.usedBytes(), 64);
  assert.deepEqual(ring.tryRead(), body(0, 12));
  assert.equal(ring.tryWrite([body(9, 28)]), false, '32 bytes do not fit in the 16 released');
  assert.equal(ring.tryWrite([body(4, 12)]), true);
  for (const i of [1, 2, 3, 4]) assert.deepEqual(ring.tryRead(), body(i, 12));
});

test('a record larger than the ring is an error naming both sizes, not a wait forever', () => {
  const ring = fresh(64);
  assert.throws(() => ring.tryWrite([body(0, 61)]), /a record of 61 bytes \(68 in the ring\) does not fit a ring of 64 bytes/);
  assert.equal(ring.tryWrite([body(0, 60)]), true, 'exactly the capacity fits');
});

test('closing keeps what was written readable, and says so', () => {
  const ring = fresh(64);
  ring.tryWrite([body(0, 5)]);
  assert.equal(ring.closed, false);
  ring.close();
  assert.equal(ring.closed, true);
  assert.deepEqual(ring.tryRead(), body(0, 5));
  assert.equal(ring.tryRead(), null);
});

test('an impossible length prefix is reported as corruption', () => {
  const ring = fresh(64);
  ring.tryWrite([body(0, 4)]);
  new DataView(ring.data.buffer, ring.data.byteOffset).setUint32(0, 1000, true);
  assert.throws(() => ring.tryRead(), /the ring is corrupt: a record announces 1000 bytes but only 8 are published/);
});

test('the reader copies a record out: the writer reusing the space does not change what was read', () => {
  const ring = fresh(16);
  ring.tryWrite([body(1, 12)]);
  const read = ring.tryRead(Buffer.allocUnsafeSlow);
  assert.ok(read instanceof Buffer);
  ring.tryWrite([body(2, 12)]);
  assert.deepEqual(new Uint8Array(read!), body(1, 12));
});

test('two rings side by side in one buffer do not touch each other', () => {
  const buffer = new ArrayBuffer(2 * ringRegionBytes(64));
  const a = ringAt(buffer, 0, 64);
  const b = ringAt(buffer, ringRegionBytes(64), 64);
  for (let i = 0; i < 4; i++) assert.equal(a.tryWrite([body(i, 12)]), true);
  assert.equal(b.tryRead(), null);
  assert.equal(b.tryWrite([body(8, 60)]), true);
  assert.deepEqual(a.tryRead(), body(0, 12));
  assert.deepEqual(b.tryRead(), body(8, 60));
});

test('bad views are refused in one line naming the value', () => {
  const header = new Int32Array(RING_HEADER_BYTES / 4);
  assert.throws(() => new Ring(header, new Uint8Array(100)), /a power of two from 8 bytes to 1 GiB, not 100 bytes/);
  assert.throws(() => new Ring(header, new Uint8Array(4)), /not 4 bytes/);
  assert.throws(() => new Ring(new Int32Array(4), new Uint8Array(64)), /header is 32 words, not 4/);
  assert.throws(() => new Ring(header, new Uint8Array(new ArrayBuffer(72), 2, 64)), /starts at a multiple of 4, not at byte 2/);
});
