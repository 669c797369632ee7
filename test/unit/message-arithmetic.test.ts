import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramOf, parseHistogram, percentileOf, rateOf, summarizeRoundTrips } from '../../lib/measure/messages/histogram';
import { MessageMaker, messageLimit, warmupMessages } from '../../lib/measure/messages/message';
import { copyPeerResults } from '../../lib/measure/runner/peer-results';
import { formatBytes } from '../../lib/model/format';
import { blankRecord, describeSpec } from '../../lib/model/record';
import { parseMessageBytes } from '../../lib/model/sizes';
import { expandSweep, messagesFor } from '../../lib/sweep/plan';

test('round trips of fixed durations: percentiles, max and mean from the HDR histogram, in seconds', () => {
  // 1 … 1000 µs, one each: p50 is 500 µs, p99 990 µs, max 1000 µs, mean 500.5 µs (HDR keeps 3 significant digits).
  const summary = summarizeRoundTrips(histogramOf(Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000)));
  const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) / expected < 0.002, `${actual} ≠ ${expected}`);
  near(summary.roundTripP50Seconds, 500e-6);
  near(summary.roundTripP90Seconds, 900e-6);
  near(summary.roundTripP99Seconds, 990e-6);
  near(summary.roundTripP999Seconds, 999e-6);
  near(summary.roundTripMaxSeconds, 1000e-6);
  near(summary.roundTripMeanSeconds, 500.5e-6);
  // The kept points give any percentile back: p95 from the histogram field, without the samples.
  near(Number(percentileOf(summary.histogram, 95)), 950e-6);
  assert.equal(parseHistogram(summary.histogram).length, 105);
  assert.throws(() => summarizeRoundTrips(histogramOf([])), /no round trip was recorded/);
});

test('rates: 10 000 messages of 64 B in 0.5 s are 20 000 messages/s and 1.28 MB/s; a zero duration is refused', () => {
  assert.deepEqual(rateOf(10_000, 64, 0.5), { messagesPerSecond: 20_000, bytesPerSecond: 1_280_000 });
  assert.throws(() => rateOf(10, 64, 0), /positive duration/);
});

test('a record of each pattern from fixed peer reports: the stream rate from first send to last held, the round trip from its mean', () => {
  const spec = { runtime: 'node', transport: 'pipe', payload: 'bytes', sizeElements: 1000, messageBytes: 64 } as const;
  const place = { runId: 'r', repeat: 0, warmup: false };
  const rate = blankRecord({ ...spec, pattern: 'rate' }, place);
  copyPeerResults(
    rate,
    { role: 'sender', startNs: '1000000000', sendSeconds: 0.09, cpuSecondsPerMessage: 2e-6, peakRssBytes: 1 },
    { role: 'receiver', heldNs: '1100000000', recvSeconds: 0.099, cpuSecondsPerMessage: 3e-6, peakRssBytes: 1 },
    undefined,
  );
  assert.equal(rate.totalSeconds, 0.1);
  assert.equal(rate.messagesPerSecond, 10_000);
  assert.equal(rate.bytesPerSecond, 640_000);
  assert.deepEqual([rate.senderCpuSecondsPerMessage, rate.receiverCpuSecondsPerMessage, rate.buildSeconds], [2e-6, 3e-6, null]);
  const roundTrip = blankRecord({ ...spec, pattern: 'roundtrip' }, place);
  const summary = summarizeRoundTrips(histogramOf(Array.from({ length: 1000 }, () => 50_000)));
  copyPeerResults(
    roundTrip,
    { role: 'sender', startNs: '0', sendSeconds: 0.06, roundTrip: summary, cpuSecondsPerMessage: 1e-6, peakRssBytes: 1 },
    { role: 'receiver', heldNs: '59000000', recvSeconds: 0.058, cpuSecondsPerMessage: 1e-6, peakRssBytes: 1 },
    undefined,
  );
  assert.equal(roundTrip.totalSeconds, 0.06);
  assert.ok(Math.abs(Number(roundTrip.roundTripP50Seconds) - 50e-6) < 1e-7);
  assert.ok(Math.abs(Number(roundTrip.messagesPerSecond) - 20_000) < 50);
  assert.equal(describeSpec({ ...spec, pattern: 'roundtrip' }), 'node pipe roundtrip bytes 64 B × 1e3');
});

test('messages: each kind is its size, verified whole, and what cannot be built is refused in one line', () => {
  for (const [kind, bytes] of [
    ['bytes', 8],
    ['int32', 1024],
    ['object', 64],
    ['object', 65536],
  ] as const) {
    const maker = new MessageMaker(kind, bytes);
    for (const seq of [0, 9, 10, 123456789]) {
      for (const pooled of [false, true]) {
        const message = maker.make(seq, pooled);
        const size = kind === 'object' ? JSON.stringify(message).length : (message as Uint8Array).byteLength;
        assert.equal(size, bytes, `${kind} ${bytes} seq ${seq}`);
        if (kind !== 'object' && !pooled) assert.equal((message as Uint8Array).buffer.byteLength, bytes, 'an ArrayBuffer of its own');
        assert.equal(maker.verify(message, seq), null);
        assert.match(String(maker.verify(message, seq + 1)), /sequence number/);
        maker.corrupt(message);
        assert.notEqual(maker.verify(message, seq), null);
      }
    }
  }
  // A message as a receiver holds it: a view at an odd offset inside a larger buffer; each part checked.
  const maker = new MessageMaker('bytes', 64);
  const inside = (message: Uint8Array) => {
    const frame = Buffer.alloc(64 + 3);
    frame.set(message, 3);
    return frame.subarray(3);
  };
  assert.equal(maker.verify(inside(maker.make(7) as Uint8Array), 7), null);
  const check = maker.make(7) as Uint8Array;
  check[5] ^= 1;
  assert.match(String(maker.verify(inside(check), 7)), /bytes 4–7 are corrupted/);
  const content = maker.make(7) as Uint8Array;
  content[40] ^= 1;
  assert.match(String(maker.verify(inside(content), 7)), /content differs/);
  assert.match(String(maker.verify(inside(maker.make(8) as Uint8Array), 7)), /carries sequence number 8/);
  const ints = new MessageMaker('int32', 16);
  assert.equal(ints.verify(ints.make(2 ** 31 - 1, true), 2 ** 31 - 1), null);
  assert.match(String(ints.verify(ints.make(5, true), 6)), /carries sequence number 5/);
  assert.match(String(messageLimit('object', 8)), /object messages of 8 bytes cannot be built: object messages are 64 to/);
  assert.match(String(messageLimit('int32', 10)), /multiple of 4/);
  assert.match(String(messageLimit('list', 64)), /not the list payload/);
  assert.deepEqual([warmupMessages(1), warmupMessages(2000), warmupMessages(1e6)], [10, 200, 1000]);
});

test('message sizes as people write them', () => {
  assert.deepEqual(['8', '64B', '1KiB', '16k', '1 MiB', '2m'].map(parseMessageBytes), [8, 64, 1024, 16384, 1048576, 2097152]);
  assert.deepEqual([8, 1024, 65536, 1048576, 1500].map(formatBytes), ['8 B', '1 KiB', '64 KiB', '1 MiB', '1500 B']);
});

test('a message sweep: transport × payload × codec × message size, each run N messages; a transport without the pattern is run once for its limits record', () => {
  const plan = expandSweep({
    runtimes: ['node'],
    transports: ['pipe', 'file'],
    payloads: ['bytes', 'list'],
    sizes: [10],
    repeats: 2,
    warmups: 1,
    patterns: ['roundtrip'],
    messageSizes: [64, 1024],
    messages: 500,
    codecs: ['analog', 'raw'],
  });
  const names = plan.transfers.map((t) => `${describeSpec(t.spec)} ${t.warmup ? 'w' : 'r'}${t.repeat}`);
  assert.deepEqual(
    names.filter((n) => n.includes('pipe roundtrip bytes 64 B')),
    ['node pipe roundtrip bytes 64 B × 500 w0', 'node pipe roundtrip bytes 64 B × 500 r0', 'node pipe roundtrip bytes 64 B × 500 r1'],
  );
  assert.equal(names.filter((n) => n.startsWith('node pipe/raw roundtrip')).length, 2 * 3);
  assert.deepEqual(
    names.filter((n) => n.includes('file')),
    ['node file roundtrip bytes 64 B × 500 r0'],
  );
  assert.ok(plan.notes.some((n) => n.includes('payload list skipped')));
});

test('by default a run moves 10 000 messages, or fewer of a large size (at most 256 MiB a run, at least 100 messages)', () => {
  assert.deepEqual(
    [8, 1024, 16384, 65536, 1 << 20, 64 << 20].map((bytes) => messagesFor(bytes)),
    [10_000, 10_000, 10_000, 4096, 256, 100],
  );
  const plan = expandSweep({
    runtimes: ['node'],
    transports: ['pipe'],
    payloads: ['bytes'],
    sizes: [10],
    repeats: 1,
    warmups: 0,
    patterns: ['rate'],
    messageSizes: [64, 1 << 20],
  });
  assert.deepEqual(
    plan.transfers.map((t) => t.spec.sizeElements),
    [10_000, 256],
  );
});
