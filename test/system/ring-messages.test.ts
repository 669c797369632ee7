import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import type { CodecName, Fault, PayloadKind, TransferRecord } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

// The shared-memory ring transports (lib/measure/transports/ring.ts), between processes (`ring`,
// polling a /dev/shm mapping) and between threads (`ring-thread`, Atomics.wait/notify): both message
// patterns with every message kind arrive verified; what a ring cannot carry is a `limits` record;
// faults end as failed records within the timeout; nothing is left running or in /dev/shm.
let iso: Isolation;
before(() => (iso = isolate('ring-messages')));
after(() => iso.dispose());
afterEach(async () => {
  assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer left running');
  assert.deepEqual(iso.leftoverFiles(), [], 'no shared-memory or temp file left');
});

const RINGS = ['ring', 'ring-thread'] as const;
const PAYLOADS: PayloadKind[] = ['bytes', 'object', 'int32'];

interface Run {
  transport: string;
  pattern: 'roundtrip' | 'rate' | 'transfer';
  payload: PayloadKind;
  messages?: number;
  messageBytes?: number;
  codec?: CodecName;
  fault?: Fault;
  timeoutSeconds?: number;
}

function run(r: Run): Promise<TransferRecord> {
  const spec = {
    runtime: 'node' as const,
    transport: r.transport,
    payload: r.payload,
    sizeElements: r.messages ?? 40,
    pattern: r.pattern,
    messageBytes: r.messageBytes ?? 64,
    ...(r.codec ? { codec: r.codec } : {}),
  };
  return runTransfer(spec, { timeoutSeconds: r.timeoutSeconds ?? 60, ...(r.fault ? { fault: r.fault } : {}) });
}

function assertMeasured(r: TransferRecord, pattern: 'roundtrip' | 'rate'): void {
  assert.equal(r.ok, true, r.error);
  assert.ok(r.messagesPerSecond !== null && r.messagesPerSecond > 0, 'a message rate');
  // ≥ 0, not > 0: a worker thread's CPU comes from /proc/thread-self/schedstat, which the kernel
  // advances at scheduler ticks and switches, so a run of a few hundred µs can read no change.
  assert.ok(r.senderCpuSecondsPerMessage !== null && r.senderCpuSecondsPerMessage >= 0, 'the sender CPU per message');
  assert.ok(r.receiverCpuSecondsPerMessage !== null && r.receiverCpuSecondsPerMessage >= 0, 'the receiver CPU per message');
  if (pattern === 'roundtrip') assert.ok(r.roundTripP50Seconds !== null && r.roundTripP50Seconds > 0, 'a round-trip p50');
  else assert.equal(r.roundTripP50Seconds, null, 'no round trips in a stream');
}

for (const transport of RINGS) {
  for (const pattern of ['roundtrip', 'rate'] as const) {
    test(`${transport} ${pattern}: bytes, object and int32 messages arrive verified (v8, the default codec)`, async () => {
      for (const payload of PAYLOADS) {
        const r = await run({ transport, pattern, payload });
        assertMeasured(r, pattern);
        assert.equal(r.codec, 'v8');
        assert.equal(r.bytes, payload === 'object' ? 68 : 76, 'one record: the 4-byte length and the v8 body, padded to 4');
      }
    });
  }

  test(`${transport}: messages near a quarter of the ring wrap it many times and arrive verified`, async () => {
    // 300 000-byte messages get a 2 MiB ring: 220 of them go round it about thirty times, records
    // split across its end; a stream's sender that gets ahead of the receiver finds it full and waits.
    for (const pattern of ['rate', 'roundtrip'] as const) {
      assertMeasured(await run({ transport, pattern, payload: 'bytes', messages: 200, messageBytes: 300_000 }), pattern);
    }
  });

  test(`${transport}: every codec it lists carries the message kinds it can`, async () => {
    for (const [codec, payload] of [
      ['raw', 'bytes'],
      ['raw', 'int32'],
      ['json', 'object'],
      ['json', 'int32'],
      ['msgpackr', 'object'],
      ['msgpackr', 'bytes'],
    ] as const) {
      const r = await run({ transport, pattern: 'roundtrip', payload, codec, messages: 20 });
      assertMeasured(r, 'roundtrip');
      assert.equal(r.codec, codec);
    }
  });

  test(`${transport}: what a ring cannot carry is a limits record, refused before anything runs`, async () => {
    const refused = async (r: Run, reason: RegExp) => {
      const started = Date.now();
      const record = await run(r);
      assert.equal(record.ok, false);
      assert.equal(record.failedPhase, 'limits');
      assert.match(record.error, reason);
      assert.ok(Date.now() - started < 1000, 'refused at once');
    };
    await refused({ transport, pattern: 'transfer', payload: 'int32' }, /ring carries messages; the one-shot transfer is raw-array's/);
    await refused({ transport, pattern: 'roundtrip', payload: 'object', codec: 'raw' }, /raw codec: carries typed arrays and bytes only/);
    await refused(
      { transport, pattern: 'rate', payload: 'bytes', messageBytes: 64 * 2 ** 20 },
      /a 67108864-byte bytes message may take 67108928 bytes in v8, more than the largest ring \(67108864 bytes\)/,
    );
  });

  test(`${transport}: a corrupted message fails verification`, async () => {
    for (const pattern of ['roundtrip', 'rate'] as const) {
      const r = await run({ transport, pattern, payload: 'int32', messages: 100, fault: 'corrupt' });
      assert.equal(r.ok, false);
      assert.equal(r.failedPhase, 'verify');
      assert.match(r.error, /message 60: its content differs from what was sent/);
    }
  });

  test(`${transport}: a killed receiver and a sender that closes its ring halfway are failed records within the timeout`, async () => {
    for (const pattern of ['roundtrip', 'rate'] as const) {
      const started = Date.now();
      const killed = await run({ transport, pattern, payload: 'bytes', fault: 'kill-receiver', timeoutSeconds: 20 });
      assert.equal(killed.ok, false);
      assert.match(killed.error, /^the (receiver|host process of the sender and receiver threads) was killed by SIGKILL before reporting$/);
      assert.equal(killed.failedPhase, 'transfer', killed.error);
      const closed = await run({ transport, pattern, payload: 'bytes', fault: 'close-early', timeoutSeconds: 20 });
      assert.equal(closed.ok, false);
      assert.match(closed.error, /the receiver failed: the peer closed its ring: no more messages will come$/);
      assert.ok(Date.now() - started < 20_000, 'both ended well within their timeouts');
    }
  });

  test(`${transport}: a receiver that never reports is stopped at the timeout`, async () => {
    const started = Date.now();
    const r = await run({ transport, pattern: 'rate', payload: 'bytes', messages: 100, fault: 'receiver-hangs', timeoutSeconds: 2 });
    assert.equal(r.ok, false);
    assert.equal(r.failedPhase, 'timeout');
    assert.ok(Date.now() - started < 10_000, 'stopped soon after the timeout');
  });
}
