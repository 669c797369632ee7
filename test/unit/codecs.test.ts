import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CODEC_IDS, CodecError, encodedLength } from '../../lib/measure/codecs/codec';
import { CODECS } from '../../lib/measure/codecs/index';
import { jsonListLength } from '../../lib/measure/codecs/json';
import { RAW_HEADER_BYTES } from '../../lib/measure/codecs/raw';
import { MessageMaker } from '../../lib/measure/messages/message';
import { buildPayload, verifyPayload } from '../../lib/measure/payload';
import { TRANSFER_PAYLOADS as PAYLOADS } from '../../lib/model/types';

/** The bytes a channel would deliver: the chunks joined into one body, as a frame reader does. */
function wire(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

test('every codec round-trips every payload it can carry, element for element', () => {
  for (const id of CODEC_IDS) {
    const codec = CODECS[id];
    for (const kind of PAYLOADS) {
      if (codec.limit(kind, 1000) !== null) continue;
      for (const size of [1, 10, 1000, 100_000]) {
        const sent = buildPayload(kind, size);
        const received = codec.decode(wire(codec.encode(sent)), kind);
        assert.equal(verifyPayload(received, size), null, `${id} ${kind} ${size}`);
        assert.equal(kind === 'list' ? Array.isArray(received) : received instanceof Int32Array, true, `${id} ${kind}: wrong kind back`);
      }
    }
  }
});

test('which codec carries which payload: refusals name the codec and what to use instead', () => {
  assert.match(CODECS.raw.limit('list', 10) ?? '', /^raw codec: carries typed arrays only, not a plain list: use packed/);
  assert.match(CODECS.packed.limit('int32', 10) ?? '', /^packed codec: .*use raw/);
  assert.equal(CODECS.raw.limit('int32', 1e8), null);
  assert.equal(CODECS.packed.limit('list', 1e8), null);
  assert.equal(CODECS.v8.limit('list', 1e8), null);
  assert.equal(CODECS.msgpackr.limit('list', 1e8), null);
  // JSON of 0 … 10^8 − 1 is 888888891 characters, beyond V8's 2^29 − 24; 5·10^7 fits.
  assert.equal(jsonListLength(1e8), 888_888_891); // 788888890 digits + 99999999 commas + 2 brackets
  assert.match(CODECS.json.limit('list', 1e8) ?? '', /888888891-character string, beyond V8's limit of 536870888/);
  assert.equal(CODECS.json.limit('int32', 5e7), null);
  assert.equal(jsonListLength(10), JSON.stringify([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).length);
});

test("raw sends the array's own memory and hands the receiver a view of the received buffer", () => {
  const sent = buildPayload('int32', 50_000) as Int32Array;
  const chunks = CODECS.raw.encode(sent);
  assert.equal(chunks.length, 2);
  assert.equal(chunks[1].buffer, sent.buffer, 'the body chunk is the array itself, not a copy');
  assert.equal(encodedLength(chunks), RAW_HEADER_BYTES + 4 * 50_000);
  const body = wire(chunks);
  const received = CODECS.raw.decode(body, 'int32') as Int32Array;
  assert.equal(received.buffer, body.buffer, 'the received array is a view of the body, not a copy');
  assert.equal(received.byteOffset, body.byteOffset + RAW_HEADER_BYTES);
  body.writeInt32LE(-7, RAW_HEADER_BYTES + 4 * 3);
  assert.equal(received[3], -7, 'a write to the body shows in the view');
});

test('raw and packed refuse a bad header, a wrong kind and a truncated body in one line', () => {
  for (const [codec, kind, payload] of [
    [CODECS.raw, 'int32', buildPayload('int32', 100)],
    [CODECS.packed, 'list', buildPayload('list', 100)],
  ] as const) {
    const body = wire(codec.encode(payload));
    const id = codec.id;
    assert.throws(
      () => codec.decode(body.subarray(0, 10), kind),
      new RegExp(`^CodecError: ${id} codec: the body has 10 bytes, fewer than the 16-byte header`),
    );
    assert.throws(
      () => codec.decode(body.subarray(0, body.length - 4), kind),
      /announces 100 elements \(400 bytes\) but 396 bytes follow it/,
    );
    const badMagic = Buffer.from(body);
    badMagic[0] = 0x58;
    assert.throws(() => codec.decode(badMagic, kind), /not the "IPCR" magic/);
    const other = Buffer.from(body);
    other.writeUInt32LE(9, 4);
    assert.throws(() => codec.decode(other, kind), /the header says kind 9, expected/);
  }
});

test('v8, json and msgpackr refuse a truncated body with a CodecError naming the codec', () => {
  for (const id of ['v8', 'json', 'msgpackr'] as const) {
    const body = wire(CODECS[id].encode(buildPayload('list', 1000)));
    assert.throws(
      () => CODECS[id].decode(body.subarray(0, body.length >> 1), 'list'),
      (error: unknown) => {
        assert.ok(error instanceof CodecError);
        assert.match((error as Error).message, new RegExp(`^${id} codec: `));
        assert.ok(!(error as Error).message.includes('\n'));
        return true;
      },
    );
  }
});

test('packed refuses a list that is not all int32, naming the first bad element', () => {
  assert.throws(() => CODECS.packed.encode([0, 1, 2.5]), /packed codec: element 2 is 2.5, not an int32: use v8 or msgpackr/);
  assert.throws(() => CODECS.packed.encode([0, 2 ** 31]), /element 1 is 2147483648, not an int32/);
});

test('a decoded payload of the wrong kind is refused, not handed over', () => {
  const listBody = wire(CODECS.v8.encode(buildPayload('list', 10)));
  assert.throws(() => CODECS.v8.decode(listBody, 'int32'), /v8 codec: the body holds a plain array, not the int32 payload/);
  const int32Body = wire(CODECS.msgpackr.encode(buildPayload('int32', 10)));
  assert.throws(() => CODECS.msgpackr.decode(int32Body, 'list'), /msgpackr codec: the body holds Int32Array, not the list payload/);
  const objectBody = wire(CODECS.json.encode({ seq: 1, kind: 'tick', values: [], pad: '' }));
  assert.throws(
    () => CODECS.v8.decode(wire(CODECS.v8.encode(new Uint8Array(8))), 'object'),
    /v8 codec: the body holds Uint8Array, not the object/,
  );
  assert.equal((CODECS.json.decode(objectBody, 'object') as { seq: number }).seq, 1);
});

test('every codec carries the message kinds it accepts, each message intact; the others are refused in one line', () => {
  const accepted: string[] = [];
  for (const codec of Object.values(CODECS)) {
    for (const kind of ['bytes', 'object', 'int32'] as const) {
      const reason = codec.limit(kind, 256);
      if (reason) {
        assert.match(reason, new RegExp(`^${codec.id} codec: `));
        assert.ok(!reason.includes('\n'));
        continue;
      }
      const maker = new MessageMaker(kind, 1024);
      const back = codec.decode(wire(codec.encode(maker.make(77))), kind);
      assert.equal(maker.verify(back, 77), null, `${codec.id} ${kind}`);
      accepted.push(`${codec.id}:${kind}`);
    }
  }
  assert.deepEqual(accepted.sort(), [
    'arrow:int32',
    'json:int32',
    'json:object',
    'msgpackr:bytes',
    'msgpackr:int32',
    'msgpackr:object',
    'raw:bytes',
    'raw:int32',
    'v8:bytes',
    'v8:int32',
    'v8:object',
  ]);
});

/** For each size: whether toPlainArray gave a real array, and verifyPayload's verdict on it. */
type PieceCheck = { n: number; isArray: boolean; dictionary: boolean; problem: string | null };

/** Around 2^24, where new Array(n) stops, and past it where concat joins blank arrays of 2^20 (a whole number of them, and one more element). */
const PLAIN_ARRAY_SIZES = [0, 1, 2 ** 24, 2 ** 24 + 3, 2 ** 25, 2 ** 25 + 1];

test('packed rebuilds a real, fast plain array on both sides of 2^24 elements', async () => {
  // In a worker, a heap of its own: these arrays take ~400 MB, and in npm run test:unit's one
  // process, whose heap holds every other suite's modules (danfojs, mathjs), the garbage collector
  // made the same work cost 4–5 times the CPU (26 s of a 65 s run on a busy machine).
  const checks = await new Promise<PieceCheck[]>((resolve, reject) => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
      require('node:v8').setFlagsFromString('--allow-natives-syntax');
      const isDictionary = new Function('a', 'return %HasDictionaryElements(a)');
      const { toPlainArray } = require(${JSON.stringify(require.resolve('../../lib/measure/codecs/packed'))});
      const { verifyPayload } = require(${JSON.stringify(require.resolve('../../lib/measure/payload'))});
      const checks = [];
      for (const n of ${JSON.stringify(PLAIN_ARRAY_SIZES)}) {
        const values = new Int32Array(n);
        for (let i = 0; i < n; i++) values[i] = i;
        const list = toPlainArray(values);
        checks.push({ n, isArray: Array.isArray(list), dictionary: isDictionary(list), problem: verifyPayload(list, n) });
      }
      parentPort.postMessage(checks);`,
      { eval: true },
    );
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before it reported`)));
  });
  assert.deepEqual(
    checks.map((c) => c.n),
    PLAIN_ARRAY_SIZES,
  );
  for (const { n, isArray, dictionary, problem } of checks) {
    assert.ok(isArray, `n = ${n}: not an array`);
    assert.equal(dictionary, false, `n = ${n}: a slow dictionary-mode array`);
    assert.equal(problem, null, `n = ${n}`);
  }
});
