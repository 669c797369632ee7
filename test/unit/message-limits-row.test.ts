import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkRequest,
  failedRow,
  type MessageLimitRequest,
  type RawLimitResult,
  rowFromResult,
} from '../../lib/measure/message-limits/row';
import { warmupMessages } from '../../lib/measure/messages/message';
import { UsageError } from '../../lib/model/usage-error';

// The pure half of the message limits: the warm-up rule, request checks, and a raw result turned
// into a row with fixed, hand-computed numbers.
const roundtrip: MessageLimitRequest = { source: 'c', channel: 'unix', pattern: 'roundtrip', messageBytes: 1024, messages: 4 };
const rate: MessageLimitRequest = { source: 'node-minimal', channel: 'port', pattern: 'rate', messageBytes: 64, messages: 1000 };

function raw(request: MessageLimitRequest, extra: Partial<RawLimitResult>): RawLimitResult {
  const { channel, pattern, messageBytes: bytes, messages } = request;
  return { channel, pattern, bytes, messages, warmup: 10, senderCpuNs: 8000, receiverCpuNs: 4000, ...extra };
}

test('warm-up: min(1000, max(10, ceil(n / 10)))', () => {
  assert.deepEqual([1, 100, 101, 200, 9999, 10_000, 10_001, 1e7].map(warmupMessages), [10, 10, 11, 20, 1000, 1000, 1000, 1000]);
});

test('a round trip row: percentiles from the HDR histogram, 1 / mean as the rate, CPU per message', () => {
  const row = rowFromResult(roundtrip, raw(roundtrip, { samplesNs: [1000, 2000, 3000, 10000] }));
  assert.equal(row.ok, true);
  assert.equal(row.error, null);
  assert.equal(row.failedPhase, null);
  assert.equal(row.roundTripP50Seconds, 2e-6);
  // The HDR histogram keeps 3 significant digits: 10 000 ns lands in a bucket whose top is 10 007.
  assert.equal(row.roundTripMaxSeconds, 10007e-9);
  // The histogram's mean is of its buckets' midpoints: 4 µs within the 0.1 % of 3 significant digits.
  assert.ok(Math.abs((row.roundTripMeanSeconds ?? 0) - 4e-6) < 4e-9, `mean ${row.roundTripMeanSeconds}`);
  assert.ok(Math.abs((row.messagesPerSecond ?? 0) - 1 / (row.roundTripMeanSeconds ?? 1)) < 1e-6);
  assert.equal(row.bytesPerSecond, (row.messagesPerSecond ?? 0) * 1024);
  assert.equal(row.senderCpuSecondsPerMessage, 2e-6);
  assert.equal(row.receiverCpuSecondsPerMessage, 1e-6);
  assert.equal(row.cpuMeasure, 'process');
  assert.equal(row.warmupMessages, 10);
  assert.match(row.histogram ?? '', /^0:1000 1:1000 .* 100:10007$/);
});

test('a rate row: messages ÷ (last held − first send)', () => {
  const row = rowFromResult(rate, raw(rate, { firstSendNs: 5_000_000_000, lastHeldNs: 5_002_000_000, cpuMeasure: 'thread' }));
  assert.equal(row.ok, true);
  assert.equal(row.messagesPerSecond, 500_000);
  assert.equal(row.bytesPerSecond, 32_000_000);
  assert.equal(row.roundTripP50Seconds, null);
  assert.equal(row.histogram, '');
  assert.ok(Math.abs((row.senderCpuSecondsPerMessage ?? 0) - 8e-9) < 1e-20);
  assert.equal(row.cpuMeasure, 'thread');
});

test('a result that does not answer the request is a failed row saying why', () => {
  const cases: [MessageLimitRequest, Partial<RawLimitResult>, RegExp][] = [
    [roundtrip, { samplesNs: [1, 2, 3] }, /3 samples for 4 round trips/],
    [roundtrip, { samplesNs: [1, 2, 0, 4] }, /not a positive whole number/],
    [roundtrip, { messages: 5, samplesNs: [1, 2, 3, 4] }, /a result for 5 roundtrip messages of 1024 B over unix/],
    [rate, { firstSendNs: 10, lastHeldNs: 10 }, /first send 10 ns and last held 10 ns, not an interval/],
    [rate, { lastHeldNs: 10 }, /first send undefined ns/],
    [rate, { senderCpuNs: -1, firstSendNs: 1, lastHeldNs: 2 }, /CPU times -1 and 4000 ns/],
  ];
  for (const [request, extra, why] of cases) {
    const row = rowFromResult(request, raw(request, extra));
    assert.equal(row.ok, false);
    assert.equal(row.failedPhase, 'transfer');
    assert.match(row.error ?? '', why);
    assert.equal(row.messagesPerSecond, null);
  }
});

test('a failed row keeps the request and puts its error on one line, with its phase', () => {
  const row = failedRow(rate, 'the peer\nstopped   early ');
  assert.deepEqual(
    [row.source, row.channel, row.pattern, row.messageBytes, row.messages, row.warmupMessages, row.ok, row.error, row.failedPhase],
    ['node-minimal', 'port', 'rate', 64, 1000, 100, false, 'the peer stopped early', 'transfer'],
  );
  assert.equal(failedRow(rate, 'too small', 'limits').failedPhase, 'limits');
});

test('bad requests are one UsageError line naming the value and what is valid', () => {
  const bad: [Partial<MessageLimitRequest>, RegExp][] = [
    [
      { channel: 'shm' },
      /channel "shm" is not one of node-minimal's channels: pipe, unix, tcp, pipe-v8, unix-v8, tcp-v8, port, ipc, ipc-json/,
    ],
    [{ pattern: 'transfer' as never }, /pattern "transfer" is not one of roundtrip, rate/],
    [{ messageBytes: 64.5 }, /^message size 64\.5 is not a whole number of bytes \(valid: 8 B to 1 MiB\)$/],
    [{ messageBytes: 7 }, /^a message needs at least 8 bytes; 7 is too small \(valid: 8 B to 1 MiB\)$/],
    [{ messageBytes: 2 ** 20 + 1 }, /^message size 1048577 is larger than the programs' buffers hold \(valid: 8 B to 1 MiB\)$/],
    [
      { channel: 'ipc-json', messageBytes: 8 },
      /^ipc-json sends object messages, which need at least 64 bytes; 8 is too small \(valid: 64 B to 1 MiB\)$/,
    ],
    [{ messages: 1e7 + 1 }, /message count 10000001 is not a whole number from 1 to 10000000/],
  ];
  for (const [change, message] of bad) {
    assert.throws(
      () => checkRequest({ ...rate, ...change }),
      (error: Error) => error instanceof UsageError && message.test(error.message),
    );
  }
  assert.doesNotThrow(() => checkRequest({ ...rate, channel: 'ipc-json', messageBytes: 64 }));
  assert.doesNotThrow(() => checkRequest({ ...roundtrip, messageBytes: 1 << 20, messages: 1 }));
});
