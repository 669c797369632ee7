import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { NODE_TRANSPORTS, patternsOf } from '../../lib/model/catalog';
import { describeFailure } from '../../lib/model/record';
import { MESSAGE_PATTERNS, MESSAGE_PAYLOADS, type TransferRecord } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

// Every Node transport that carries messages, both message patterns, every message payload, at a
// small and a large message: each message is checked at the other end (sequence number and
// content), the record holds the distribution or the rate, and nothing is left running or on disk.
// A transport that carries one payload only answers a pattern with its limits record.
let iso: Isolation;
before(() => (iso = isolate('smoke-messages')));
after(() => iso.dispose());

const MESSAGES = 300;

/** What a transport must refuse, by design: the reason it names. */
const REFUSED: Record<string, RegExp> = {
  'transfer object': /transfer moves ArrayBuffers/,
  'ipc-json bytes': /JSON has no bytes/,
};

function checkRecord(r: TransferRecord): void {
  assert.equal(r.ok, true, r.error);
  assert.equal(r.sizeElements, MESSAGES);
  assert.ok(r.messagesPerSecond !== null && r.messagesPerSecond > 0, 'a rate');
  assert.ok(r.senderCpuSecondsPerMessage !== null && r.senderCpuSecondsPerMessage >= 0, 'sender CPU per message');
  assert.ok(r.receiverCpuSecondsPerMessage !== null && r.receiverCpuSecondsPerMessage >= 0, 'receiver CPU per message');
  if (r.pattern === 'roundtrip') {
    const [p50, p90, p99, max] = [r.roundTripP50Seconds, r.roundTripP90Seconds, r.roundTripP99Seconds, r.roundTripMaxSeconds].map(Number);
    assert.ok(p50 > 0 && p50 <= p90 && p90 <= p99 && p99 <= max, `ordered percentiles ${[p50, p90, p99, max]}`);
    assert.ok(r.histogram.split(' ').length > 100, 'the histogram points are kept');
  } else {
    assert.ok(r.totalSeconds !== null && r.totalSeconds > 0);
    assert.equal(r.roundTripP50Seconds, null);
  }
}

for (const transport of NODE_TRANSPORTS) {
  const patterns = patternsOf(transport);
  if (!patterns.includes('roundtrip')) {
    test(`${transport.id} carries one payload: a message pattern is its limits record`, async () => {
      const r = await runTransfer({
        runtime: 'node',
        transport: transport.id,
        payload: 'bytes',
        sizeElements: MESSAGES,
        pattern: 'rate',
        messageBytes: 64,
      });
      assert.equal(r.failedPhase, 'limits');
      assert.match(r.error, new RegExp(`^${transport.id} carries one payload`));
      assert.match(
        describeFailure(r, { spec: r }),
        new RegExp(`^node ${transport.id} rate bytes 64 B × 300: refused: ${transport.id} carries`),
      );
    });
    continue;
  }
  for (const pattern of MESSAGE_PATTERNS) {
    test(`${transport.id} ${pattern}: every message payload arrives intact, small and large`, async () => {
      for (const payload of MESSAGE_PAYLOADS) {
        // A large message once (bytes): the payload kinds differ in how a message is built, not in its size.
        for (const messageBytes of payload === 'bytes' ? [64, 65536] : [64]) {
          const spec = { runtime: 'node', transport: transport.id, payload, sizeElements: MESSAGES, pattern, messageBytes } as const;
          const r = await runTransfer(spec, { timeoutSeconds: 60 });
          const refused = REFUSED[`${transport.id} ${payload}`];
          if (refused) {
            assert.equal(r.failedPhase, 'limits');
            assert.match(r.error, refused);
          } else {
            checkRecord(r);
          }
        }
      }
      assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer left running');
      assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket, FIFO or shared-memory file left');
    });
  }
}
