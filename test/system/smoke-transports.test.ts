import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { NODE_TRANSPORTS, patternsOf } from '../../lib/model/catalog';
import { TRANSFER_PAYLOADS as PAYLOADS } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

// Every real Node transport, with both payloads, at 10 and 10^5 elements: the data must arrive
// intact (the receiver checks every element), and afterwards nothing may be left running or on disk.
// The receivers that read bytes (lib/measure/direct-read.ts) read them straight into what they keep.
const READ_BYTES = ['pipe', 'unix', 'tcp', 'manager', 'file'];
let iso: Isolation;
before(() => (iso = isolate('smoke')));
after(() => iso.dispose());

for (const transport of NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer'))) {
  for (const payload of PAYLOADS) {
    test(`${transport.id} carries a ${payload} intact`, async () => {
      for (const sizeElements of [10, 1e5]) {
        const r = await runTransfer({ runtime: 'node', transport: transport.id, payload, sizeElements }, { timeoutSeconds: 120 });
        assert.equal(r.ok, true, r.error);
        assert.ok(r.verifySeconds !== null, 'the receiver verified the data');
        assert.ok(r.totalSeconds !== null && r.totalSeconds > 0, 'total measured');
        assert.ok(r.sendSeconds !== null && r.recvSeconds !== null, 'send and recv measured');
        assert.equal(r.readWay, READ_BYTES.includes(transport.id) ? 'direct' : 'n/a', 'how the receiver read');
      }
      assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer left running');
      assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket or shared-memory file left');
    });
  }
}
