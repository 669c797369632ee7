import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import type { Fault, Pattern } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

// The failure paths of the message patterns, on a process pair (pipe), a fork (ipc) and two
// threads (queue): a corrupted message, a peer killed as the stream starts, a sender that closes
// its channel halfway, a receiver that never reports. Each is a failed record naming the phase and
// the cause, within the timeout, with nothing left running or on disk.
let iso: Isolation;
before(() => (iso = isolate('message-faults')));
after(() => iso.dispose());

const CASES: { fault: Fault; phase: RegExp; reason: RegExp }[] = [
  { fault: 'corrupt', phase: /^verify$/, reason: /message \d+: its content differs from what was sent/ },
  { fault: 'kill-receiver', phase: /^(transfer|ready)$/, reason: /receiver/ },
  { fault: 'close-early', phase: /^transfer$/, reason: /closed|ended|end of file|before a frame/ },
  { fault: 'receiver-hangs', phase: /^(timeout|transfer)$/, reason: /timeout|no result/ },
];

for (const transport of ['pipe', 'ipc', 'queue']) {
  for (const pattern of ['roundtrip', 'rate'] as Pattern[]) {
    // A hung receiver costs the whole timeout, and the runner treats it alike for every transport
    // (test/system/faults.test.ts covers each transfer transport): one message case here is enough.
    const cases = transport === 'pipe' && pattern === 'rate' ? CASES : CASES.filter((c) => c.fault !== 'receiver-hangs');
    test(`${transport} ${pattern}: corrupt, killed and closed-early runs${cases.length === CASES.length ? ', and a hung receiver,' : ''} are failed records with their cause`, async () => {
      for (const { fault, phase, reason } of cases) {
        const startedMs = Date.now();
        const r = await runTransfer(
          { runtime: 'node', transport, payload: 'bytes', sizeElements: 2000, pattern, messageBytes: 1024 },
          { fault, timeoutSeconds: 5 },
        );
        assert.equal(r.ok, false, `${fault} must fail`);
        assert.match(r.failedPhase, phase, `${fault}: ${r.error}`);
        assert.match(r.error, reason, fault);
        assert.ok(!r.error.includes('\n'), 'one line');
        assert.ok(Date.now() - startedMs < 20_000, `${fault} ended within the timeout`);
      }
      assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer left running');
      assert.deepEqual(iso.leftoverFiles(), [], 'nothing left on disk');
    });
  }
}
