import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { describeFailure } from '../../lib/model/record';
import type { TransferRecord } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

// The runner with a fake transport whose phases take known times: every column must land where
// it belongs, failures must become records, and nothing may be left behind.
let iso: Isolation;
before(() => (iso = isolate('runner-timing')));
after(() => iso.dispose());

async function fakeTransfer(settings: object, sizeElements = 1000): Promise<TransferRecord> {
  process.env.IPC_LAB_FAKE = JSON.stringify(settings);
  try {
    return await runTransfer({ runtime: 'node', transport: 'fake', payload: 'list', sizeElements }, { timeoutSeconds: 60 });
  } finally {
    delete process.env.IPC_LAB_FAKE;
  }
}

async function assertNothingLeft(): Promise<void> {
  assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer process may outlive its transfer');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp file, socket or shared-memory file may remain');
}

// Busy waits take at least their time; a loaded machine can only make them longer.
const SLACK_SECONDS = 1.5;
function within(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, `${what} is missing`);
  assert.ok(actual >= expected, `${what} = ${actual} s, expected at least ${expected} s`);
  assert.ok(actual < expected + SLACK_SECONDS, `${what} = ${actual} s, expected about ${expected} s`);
}

test('each timing column holds its own phase', async () => {
  const r = await fakeTransfer({ encodeMs: 150, sendMs: 100, recvMs: 120, decodeMs: 80 });
  assert.equal(r.ok, true, r.error);
  within(r.encodeSeconds, 0.15, 'encode');
  within(r.sendSeconds, 0.1, 'send');
  within(r.recvSeconds, 0.12, 'recv');
  within(r.decodeSeconds, 0.08, 'decode');
  // total runs from the sender's first step to the receiver holding data: it spans encode, and
  // the receiver's recv and decode, which start once the bytes are out.
  within(r.totalSeconds, 0.15 + 0.12 + 0.08, 'total');
  assert.ok(r.buildSeconds !== null && r.buildSeconds >= 0);
  assert.ok(r.verifySeconds !== null && r.verifySeconds >= 0);
  assert.ok(r.bytes !== null && r.bytes > 1000, 'a serialised list of 1000 integers is more than 1000 bytes');
  assert.ok((r.senderPeakRssBytes ?? 0) > 10e6 && (r.receiverPeakRssBytes ?? 0) > 10e6, 'peak RSS of a node process is tens of MB');
  assert.ok(r.heapLimitMb !== null && r.heapLimitMb >= 2048);
  await assertNothingLeft();
});

test('an error thrown in a peer is a failed record with its phase and bare reason; printed, it names the transfer', async () => {
  const r = await fakeTransfer({ throwIn: 'sender' });
  assert.equal(r.ok, false);
  assert.equal(r.failedPhase, 'transfer');
  assert.equal(r.error, 'the sender failed: fake sender failure');
  assert.equal(describeFailure(r, { spec: r }), 'node fake list 1e3: failed (transfer): the sender failed: fake sender failure');
  await assertNothingLeft();
});

test('a peer that dies mid-transfer is a failed record, not a hang', async () => {
  const startedMs = Date.now();
  const r = await fakeTransfer({ crashIn: 'receiver' });
  assert.equal(r.ok, false);
  assert.match(r.error, /the receiver exited with code 3 before reporting$/);
  assert.ok(Date.now() - startedMs < 30_000, 'well within the timeout');
  await assertNothingLeft();
});

test('an unknown transport is refused before anything is spawned', async () => {
  await assert.rejects(
    runTransfer({ runtime: 'node', transport: 'carrier-pigeon', payload: 'list', sizeElements: 10 }),
    /unknown transport "carrier-pigeon"/,
  );
  await assertNothingLeft();
});
