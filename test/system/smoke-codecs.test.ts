import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serializerOf } from '../../lib/measure/codecs/index';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { NODE_TRANSPORTS } from '../../lib/model/catalog';
import { CODEC_IDS, TRANSFER_PAYLOADS as PAYLOADS } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

// Every transport that carries bytes (a stream, a file, a broker) × every codec × both payloads, at
// 10 and 10^5 elements: verified at the receiver where the codec can carry the payload, refused as
// a `limits` record naming the codec where it cannot; nothing left running or on disk.
let iso: Isolation;
before(() => (iso = isolate('codecs')));
after(() => iso.dispose());

const BYTE_CARRIERS = NODE_TRANSPORTS.filter((t) => CODEC_IDS.every((c) => t.codecs.includes(c)));

test('the transports that carry bytes are the streams, the file and the broker', () => {
  assert.deepEqual(
    BYTE_CARRIERS.map((t) => t.id),
    ['pipe', 'manager', 'file', 'tcp', 'unix'],
  );
});

for (const transport of BYTE_CARRIERS) {
  for (const codec of CODEC_IDS) {
    test(`${transport.id} with ${codec}: every payload it can carry arrives intact, the others are refused`, async () => {
      for (const payload of PAYLOADS) {
        const refusal = serializerOf(codec)?.limit(payload, 10) ?? null;
        for (const sizeElements of [10, 1e5]) {
          const started = Date.now();
          const r = await runTransfer({ runtime: 'node', transport: transport.id, payload, sizeElements, codec }, { timeoutSeconds: 120 });
          assert.equal(r.codec, codec);
          if (refusal) {
            assert.equal(r.ok, false);
            assert.equal(r.failedPhase, 'limits');
            assert.match(r.error, new RegExp(`${codec} codec: `));
            assert.ok(Date.now() - started < 1000, 'refused before anything ran');
            continue;
          }
          assert.equal(r.ok, true, r.error);
          assert.ok(r.verifySeconds !== null, 'the receiver verified the data');
          assert.ok(r.encodeSeconds !== null && r.decodeSeconds !== null, 'the codec timed apart');
          assert.ok(r.bytes !== null && r.bytes > 0);
        }
      }
      assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer left running');
      assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket or shared-memory file left');
    });
  }
}

test('a codec a transport does not take is bad input, refused before anything runs', async () => {
  await assert.rejects(
    runTransfer({ runtime: 'node', transport: 'queue', payload: 'int32', sizeElements: 10, codec: 'raw' }),
    /codec "raw" does not fit transport "queue" \(node\): it takes clone/,
  );
  await assert.rejects(
    runTransfer({ runtime: 'node', transport: 'pipe', payload: 'int32', sizeElements: 10, codec: 'zip' as never }),
    /unknown codec "zip"/,
  );
});
