import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyPayload } from '../../lib/measure/payload';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { type Isolation, isolate } from '../helpers/isolation';

// Verification is what makes a number trustworthy: a corrupted transfer must fail, through every
// kind of channel, and a peer killed mid-transfer must end as a failed record, not a hang.
let iso: Isolation;
before(() => (iso = isolate('verification')));
after(() => iso.dispose());

test('verifyPayload checks every element, length and kind', () => {
  assert.equal(verifyPayload([0, 1, 2, 3], 4), null);
  assert.equal(verifyPayload(Int32Array.of(0, 1, 2), 3), null);
  assert.equal(verifyPayload([0, 1, 2, 4], 4), 'element 3 is 4, expected 3');
  assert.equal(verifyPayload([0, 1, 2], 4), 'received 3 elements, expected 4');
  assert.match(verifyPayload({ 0: 0 }, 1) ?? '', /not an indexable array/);
  assert.match(verifyPayload(null, 1) ?? '', /received null/);
});

for (const transport of ['pipe', 'queue', 'shared-array', 'raw-array', 'manager', 'ipc', 'file', 'tcp']) {
  test(`a corrupted transfer through ${transport} is caught by verification`, async () => {
    const r = await runTransfer(
      { runtime: 'node', transport, payload: 'int32', sizeElements: 1000 },
      { fault: 'corrupt', timeoutSeconds: 60 },
    );
    assert.equal(r.ok, false);
    assert.equal(r.failedPhase, 'verify');
    assert.match(r.error, /data arrived corrupted: element 500 is -1, expected 500/);
  });
}

test('a receiver killed mid-transfer yields a failed record within the timeout', async () => {
  const startedMs = Date.now();
  const r = await runTransfer(
    { runtime: 'node', transport: 'pipe', payload: 'list', sizeElements: 2e6 },
    { fault: 'kill-receiver', timeoutSeconds: 30 },
  );
  assert.equal(r.ok, false);
  assert.equal(r.failedPhase, 'transfer');
  assert.ok(Date.now() - startedMs < 30_000);
  assert.deepEqual(await iso.waitForNoProcesses(), []);
  assert.deepEqual(iso.leftoverFiles(), []);
});
