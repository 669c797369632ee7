/**
 * The messages notebook's builders over fixed records and limit rows: medians over rounds, the
 * targets (transport ÷ bare Node), the findings its words are filled from, ipc-bench's cited data
 * beside this run, and the figures' series, colours and log axes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ipcBenchComparison, ipcBenchRates } from '../../lib/findings/ipc-bench';
import {
  batchingFindings,
  cpuFindings,
  fastestFindings,
  jsonFindings,
  messageChecks,
  wakeupFinding,
} from '../../lib/findings/message-findings';
import { messagePoints, targetRows, targetVerdicts } from '../../lib/findings/messages';
import { blankRecord } from '../../lib/model/record';
import type { CodecName, PayloadKind, Runtime, TransferRecord } from '../../lib/model/types';
import { ipcBenchTableRows } from '../../lib/notebook/ipc-bench';
import { codecTableRows, cpuFigure, messageFigure, messageTableRows } from '../../lib/notebook/message-figures';
import { knownStyle, limitStyle } from '../../lib/notebook/palette';
import type { MessageLimitRecord } from '../../lib/sweep/message-bench';

const US = 1e-6;

/** a and b equal to 9 significant digits (medians and ratios of fixed numbers, in floating point). */
const near = (a: number | null | undefined, b: number) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= Math.abs(b) * 1e-9, `${a} ≈ ${b}`);

interface Measure {
  p50Us?: number;
  p99Us?: number;
  perSecond?: number;
  cpuUs?: [number, number];
}

function record(
  runtime: Runtime,
  transport: string,
  payload: PayloadKind,
  pattern: 'roundtrip' | 'rate',
  messageBytes: number,
  m: Measure,
  round = 0,
  codec?: CodecName,
): TransferRecord {
  const r = blankRecord(
    { runtime, transport, payload, sizeElements: 1000, pattern, messageBytes, ...(codec ? { codec } : {}) },
    { runId: 'r', repeat: round, warmup: false },
  );
  r.ok = true;
  if (pattern === 'roundtrip') {
    r.roundTripP50Seconds = (m.p50Us ?? 10) * US;
    r.roundTripP99Seconds = (m.p99Us ?? 100) * US;
    r.messagesPerSecond = m.perSecond ?? 1 / ((m.p50Us ?? 10) * US);
  } else {
    r.messagesPerSecond = m.perSecond ?? 1000;
    r.bytesPerSecond = (m.perSecond ?? 1000) * messageBytes;
  }
  r.senderCpuSecondsPerMessage = (m.cpuUs?.[0] ?? 1) * US;
  r.receiverCpuSecondsPerMessage = (m.cpuUs?.[1] ?? 1) * US;
  return r;
}

function limit(
  source: 'c' | 'node-minimal',
  channel: string,
  pattern: 'roundtrip' | 'rate',
  messageBytes: number,
  m: Measure,
): MessageLimitRecord {
  return {
    source,
    channel,
    pattern,
    messageBytes,
    messages: 1000,
    warmupMessages: 100,
    ok: true,
    error: null,
    failedPhase: null,
    roundTripP50Seconds: pattern === 'roundtrip' ? (m.p50Us ?? 10) * US : null,
    roundTripP90Seconds: null,
    roundTripP99Seconds: pattern === 'roundtrip' ? (m.p99Us ?? 100) * US : null,
    roundTripP999Seconds: null,
    roundTripMaxSeconds: null,
    roundTripMeanSeconds: null,
    histogram: '',
    messagesPerSecond: m.perSecond ?? (pattern === 'roundtrip' ? 1 / ((m.p50Us ?? 10) * US) : 1000),
    bytesPerSecond: (m.perSecond ?? 1000) * messageBytes,
    senderCpuSecondsPerMessage: (m.cpuUs?.[0] ?? 1) * US,
    receiverCpuSecondsPerMessage: (m.cpuUs?.[1] ?? 1) * US,
    cpuMeasure: 'process',
    round: 0,
    runId: 'r',
  };
}

/** A small run: pipe, queue and manager over 64 B, 1 KiB and 64 KiB, their limits, CPython's pipe, the pipe's codecs on objects. */
function fixture() {
  const records: TransferRecord[] = [
    // Three rounds of the pipe's round trip at 64 B: the median p50 is 40 µs.
    ...[30, 40, 50].map((p50, round) => record('node', 'pipe', 'bytes', 'roundtrip', 64, { p50Us: p50, p99Us: 200 }, round)),
    record('node', 'pipe', 'bytes', 'rate', 64, { perSecond: 50_000, cpuUs: [15, 20] }),
    record('node', 'pipe', 'bytes', 'rate', 1024, { perSecond: 40_000 }),
    record('node', 'pipe', 'bytes', 'rate', 65536, { perSecond: 2000 }),
    record('node', 'queue', 'bytes', 'roundtrip', 64, { p50Us: 15, p99Us: 60 }),
    record('node', 'queue', 'bytes', 'rate', 64, { perSecond: 90_000 }),
    record('node', 'manager', 'bytes', 'roundtrip', 64, { p50Us: 400 }),
    record('node', 'ring', 'bytes', 'rate', 64, { perSecond: 200_000, cpuUs: [5, 5] }),
    record('cpython', 'pipe', 'bytes', 'roundtrip', 64, { p50Us: 18 }),
    // The codecs on small objects: JSON streams faster than v8 at 64 B, slower at 1 KiB.
    record('node', 'pipe', 'object', 'rate', 64, { perSecond: 30_000 }),
    record('node', 'pipe', 'object', 'rate', 64, { perSecond: 45_000 }, 0, 'json'),
    record('node', 'pipe', 'object', 'roundtrip', 64, { p50Us: 50 }),
    record('node', 'pipe', 'object', 'roundtrip', 64, { p50Us: 40 }, 0, 'json'),
    record('node', 'pipe', 'object', 'rate', 1024, { perSecond: 20_000 }),
    record('node', 'pipe', 'object', 'rate', 1024, { perSecond: 15_000 }, 0, 'json'),
    record('node', 'pipe', 'object', 'roundtrip', 1024, { p50Us: 60 }),
    record('node', 'pipe', 'object', 'roundtrip', 1024, { p50Us: 70 }, 0, 'json'),
  ];
  const failed = record('node', 'tcp', 'bytes', 'roundtrip', 64, {});
  failed.ok = false;
  failed.failedPhase = 'transfer';
  failed.error = 'the receiver died';
  records.push(failed);
  const limits: MessageLimitRecord[] = [
    // The pipe in v8 is held to bare Node serializing with v8 over its pipe.
    limit('node-minimal', 'pipe-v8', 'roundtrip', 64, { p50Us: 20, p99Us: 90 }),
    limit('node-minimal', 'pipe-v8', 'rate', 64, { perSecond: 100_000 }),
    limit('node-minimal', 'port', 'roundtrip', 64, { p50Us: 12 }),
    limit('node-minimal', 'port', 'rate', 64, { perSecond: 100_000 }),
    limit('node-minimal', 'unix-v8', 'roundtrip', 64, { p50Us: 25 }),
    limit('c', 'pipe', 'roundtrip', 64, { p50Us: 4, p99Us: 8, perSecond: 150_000 }),
    limit('c', 'pipe', 'roundtrip', 1024, { p50Us: 5, perSecond: 100_000 }),
    limit('c', 'shm', 'rate', 64, { perSecond: 2_000_000 }),
  ];
  return { records, limits };
}

test('medians over the rounds: the pipe p50 of 30, 40 and 50 µs is 40 µs, from 3 rounds; failed runs are left out', () => {
  const points = messagePoints(fixture());
  const pipe = points.find((p) => p.source === 'node' && p.label === 'pipe' && p.pattern === 'roundtrip' && p.payload === 'bytes');
  assert.ok(pipe);
  assert.ok(Math.abs((pipe.roundTripP50Seconds as number) - 40e-6) < 1e-12);
  assert.equal(pipe.rounds, 3);
  assert.equal(pipe.name, 'pipe');
  assert.ok(!points.some((p) => p.label === 'tcp'), 'the failed tcp run has no point');
  const json = points.find((p) => p.label === 'pipe/json');
  assert.equal(json?.name, 'pipe/json · object');
  assert.equal(points.find((p) => p.source === 'cpython')?.name, 'CPython pipe');
  assert.equal(points.find((p) => p.source === 'c')?.name, 'C floor · pipe');
});

test('targets: p50 ÷ bare Node and rate ÷ bare Node over the mapped channel, verdicts against 1.5 and 0.67; no target for the manager or the ring', () => {
  const rows = targetRows(fixture());
  const at = (transport: string) => rows.find((r) => r.transport === transport && r.messageBytes === 64);
  const pipe = at('pipe');
  assert.ok(pipe);
  assert.equal(Number(pipe.p50Ratio?.toFixed(6)), 2); // 40 µs ÷ 20 µs
  assert.equal(pipe.p50Met, false);
  assert.equal(Number(pipe.rateRatio?.toFixed(6)), 0.5); // 50 000 ÷ 100 000
  assert.equal(pipe.rateMet, false);
  assert.equal(Number(pipe.p50OverC?.toFixed(6)), 10); // 40 µs ÷ 4 µs
  const queue = at('queue'); // against bare Node's MessagePort
  assert.equal(Number(queue?.p50Ratio?.toFixed(6)), 1.25);
  assert.equal(queue?.p50Met, true);
  assert.equal(Number(queue?.rateRatio?.toFixed(6)), 0.9);
  assert.equal(queue?.rateMet, true);
  const manager = at('manager');
  assert.equal(Number(manager?.p50Ratio?.toFixed(6)), 16); // against bare Node's v8 over a Unix socket, shown…
  assert.equal(manager?.p50Met, null); // …but judged against no target
  assert.match(manager?.note ?? '', /broker: two hops per message, no target/);
  assert.equal(at('ring')?.rateMet, null);
  // The raw row is held to bare Node sending the bytes as they are, not to the v8 loop.
  const withRaw = fixture();
  withRaw.records.push(record('node', 'pipe', 'bytes', 'rate', 64, { perSecond: 150_000 }, 0, 'raw'));
  withRaw.limits.push(limit('node-minimal', 'pipe', 'rate', 64, { perSecond: 200_000 }));
  const raw = targetRows(withRaw).find((r) => r.transport === 'pipe/raw');
  assert.equal(Number(raw?.rateRatio?.toFixed(6)), 0.75);
  assert.equal(raw?.minimalMessagesPerSecond, 200_000);
  assert.equal(targetRows(withRaw).find((r) => r.transport === 'pipe' && r.messageBytes === 64)?.minimalMessagesPerSecond, 100_000);
  // The raw row ran only the stream, and bare Node's raw loop has its stream: nothing is missing.
  assert.equal(raw?.note, '');
  // The pipe streamed 1 KiB with no bare Node stream beside it: the note says so.
  assert.match(
    rows.find((r) => r.transport === 'pipe' && r.messageBytes === 1024)?.note ?? '',
    /bare Node pipe-v8 has no result at this size/,
  );
  assert.match(at('ring')?.note ?? '', /C shm/);
  const { p50, rate } = targetVerdicts(rows);
  assert.deepEqual([p50.judged, p50.met], [2, 1]);
  assert.deepEqual(
    p50.missed.map((r) => [r.transport, r.messageBytes]),
    [['pipe', 64]],
  );
  assert.deepEqual([rate.judged, rate.met], [2, 1]);
  assert.deepEqual(
    rate.missed.map((r) => [r.transport, r.messageBytes]),
    [['pipe', 64]],
  );
});

test('findings: fastest transport, batching gains, where JSON beats v8, CPU per message, failures counted once each', () => {
  const run = fixture();
  const [roundTrip, stream] = fastestFindings(run, 64);
  assert.equal(roundTrip.pattern, 'roundtrip');
  assert.equal(roundTrip.node?.name, 'queue');
  near(roundTrip.node?.roundTripP50Seconds, 15 * US);
  near(roundTrip.node?.roundTripP99Seconds, 60 * US);
  assert.equal(roundTrip.betweenProcesses?.name, 'pipe');
  near(roundTrip.betweenProcesses?.roundTripP50Seconds, 40 * US);
  assert.equal(roundTrip.cpython?.name, 'CPython pipe');
  near(roundTrip.cpython?.roundTripP50Seconds, 18 * US);
  assert.equal(roundTrip.c?.name, 'C floor · pipe');
  assert.equal(stream.node?.name, 'ring');
  assert.equal(stream.node?.messagesPerSecond, 200_000);
  assert.equal(stream.betweenProcesses, null, 'the ring runs between processes: no second name');
  // A raw ring between threads streaming faster still: the fastest between processes is named apart.
  const threads = fixture();
  threads.records.push(record('node', 'ring-thread', 'bytes', 'rate', 64, { perSecond: 300_000 }, 0, 'raw'));
  const [, threadStream] = fastestFindings(threads, 64);
  assert.deepEqual([threadStream.node?.name, threadStream.betweenProcesses?.name], ['ring-thread/raw', 'ring']);
  // 16 messages of 64 B in one 1 KiB message: 40 000 × 16 ÷ 50 000 = 12.8; 1024 in 64 KiB: 2000 × 1024 ÷ 50 000 = 40.96.
  const batching = batchingFindings(run);
  assert.equal(batching.messageBytes, 64);
  const pipe = batching.transports.find((t) => t.transport === 'pipe');
  assert.equal(pipe?.perSecond, 50_000);
  assert.deepEqual(
    pipe?.gains.map((g) => g.batchBytes),
    [1024, 65536],
  );
  near(pipe?.gains[0].gain, 12.8);
  near(pipe?.gains[1].gain, 40.96);
  const json = jsonFindings(run);
  assert.deepEqual(
    json.map((f) => [f.channel, f.messageBytes, f.jsonStreamsFaster]),
    [
      ['pipe', 64, true],
      ['pipe', 1024, false],
    ],
  );
  assert.equal(json[0].json.perSecond, 45_000);
  assert.equal(json[0].v8.perSecond, 30_000);
  near(json[0].rateRatio, 1.5);
  near(json[0].json.p50Seconds, 40 * US);
  near(json[0].v8.p50Seconds, 50 * US);
  near(json[0].p50Ratio, 0.8);
  assert.deepEqual(
    codecTableRows(run)
      .filter((r) => r.size === '64 B')
      .map((r) => r.series),
    ['pipe · v8', 'pipe · json'],
  );
  // The ring streams 200 000 messages/s (5 µs each) with its receiver on the CPU 5 µs a message: a whole core.
  const cpu = cpuFindings(run, 64);
  const ring = cpu.stream.find((s) => s.transport === 'ring');
  near(ring?.receiverCpuSeconds, 5 * US);
  near(ring?.wallSeconds, 5 * US);
  near(ring?.cpuShare, 1);
  const pipeTrip = cpu.roundTrip.find((t) => t.transport === 'pipe');
  near(pipeTrip?.clientCpuSeconds, 1 * US);
  near(pipeTrip?.serverCpuSeconds, 1 * US);
  near(pipeTrip?.p50Seconds, 40 * US);
  assert.ok(!cpu.roundTrip.some((t) => t.transport === 'ring'), 'the ring ran no round trip');
  const checks = messageChecks(run);
  assert.deepEqual([checks.failedRuns, checks.refusedRuns, checks.transfers + checks.limitRuns], [1, 0, 28]);
  assert.equal(checks.failures[0].series, 'tcp');
  assert.equal(checks.failures[0].failedPhase, 'transfer');
  assert.equal(checks.failures[0].error, 'the receiver died');
  // The same failure in a second round is one line of the table, with its count.
  const twice = fixture();
  twice.records.push({ ...twice.records[twice.records.length - 1], repeat: 1 });
  assert.deepEqual(
    messageChecks(twice).failures.map((f) => [f.series, f.runs]),
    [['tcp', 2]],
  );
  // A refused size (ipc-json's objects below 64 B), in its transfer and its bare-Node limit: refused runs, counted apart.
  const refused = fixture();
  const why = 'object messages of 8 bytes cannot be built: object messages are 64 to 67108864 bytes';
  for (const round of [0, 1]) {
    const r = record('node', 'ipc-json', 'object', 'rate', 8, {}, round);
    refused.records.push({ ...r, ok: false, failedPhase: 'limits', error: why });
  }
  const limitWhy = 'ipc-json sends object messages, which need at least 64 bytes; 8 is too small (valid: 64 B to 1 MiB)';
  refused.limits.push({ ...limit('node-minimal', 'ipc-json', 'rate', 8, {}), ok: false, failedPhase: 'limits', error: limitWhy });
  const counted = messageChecks(refused);
  assert.deepEqual([counted.failedRuns, counted.refusedRuns], [4, 3]);
  assert.deepEqual(
    counted.failures.map((f) => [f.failedPhase, f.runs, f.error]),
    [
      ['transfer', 1, 'the receiver died'],
      ['limits', 2, why],
      ['limits', 1, limitWhy],
    ],
  );
  const table = messageTableRows(run).filter((r) => r.size === '64 B');
  assert.deepEqual(
    table.map((r) => r.series),
    [
      'pipe',
      'queue',
      'manager',
      'ring',
      'CPython pipe',
      'C floor · pipe',
      'C floor · shm',
      'bare Node · pipe-v8',
      'bare Node · port',
      'bare Node · unix-v8',
    ],
  );
  assert.equal(table[0]['stream MB/s'], 3.2); // 50 000 × 64 B
});

test('ipc-bench: the cited rates load with their source, and sit beside this run in round trips per second', () => {
  const rates = ipcBenchRates();
  assert.equal(rates.source.commit, '0304f96e9479b44512128b79f2c555c4ae8896be');
  assert.deepEqual(rates.messageBytes, [100, 1024]);
  assert.deepEqual(rates.rows.find((r) => r.mechanism === 'Pipes')?.roundTripsPerSecond, [162441, 155404]);
  assert.equal(rates.rows.find((r) => r.mechanism === 'Unix signals')?.broken, true);
  const pipes = ipcBenchComparison(fixture(), rates).find((r) => r.mechanism === 'Pipes');
  assert.deepEqual(pipes?.c, [150_000, 100_000]);
  near(pipes?.node[0], 25_000); // 1 ÷ 40 µs
  // Our C ÷ theirs: 150 000 ÷ 162 441 at 64 B against their 100 B, 100 000 ÷ 155 404 at 1 KiB.
  near(pipes?.cOverPublished[0], 150_000 / 162_441);
  near(pipes?.cOverPublished[1], 100_000 / 155_404);
  assert.equal(ipcBenchComparison(fixture(), rates).find((r) => r.channel === 'unix')?.cOverPublished[0], null, 'no C unix run: no ratio');
  const shown = ipcBenchTableRows(ipcBenchComparison(fixture(), rates), rates).find((r) => r['ipc-bench mechanism'] === 'Pipes');
  assert.equal(shown?.['published 100 B'], 162_441);
  assert.equal(shown?.['C 64 B'], 150_000);
  assert.equal(shown?.['C 1 KiB'], 100_000);
  assert.match(rates.source.machine, /i5-4590S/);
  // A file that breaks its own rules is refused in one line naming the value.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-bench-test-'));
  try {
    const file = path.join(dir, 'rates.json');
    const broken = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/ipc-bench/message-rates.json'), 'utf8'));
    broken.rows[0].roundTripsPerSecond = [24901];
    fs.writeFileSync(file, JSON.stringify(broken));
    assert.throws(() => ipcBenchRates(file), /zeromq: \[24901\] is not one rate per size \(100, 1024 B\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('figures: log–log, every series its own colour, transports in their palette colours, limits in theirs, p99 as whiskers', () => {
  const run = fixture();
  const fig = messageFigure(run, 'streams-v8', 'roundtrip');
  assert.equal((fig.layout.xaxis as { type: string }).type, 'log');
  assert.equal((fig.layout.yaxis as { type: string }).type, 'log');
  const names = fig.data.map((d) => d.name);
  // tcp failed at its only size: its series stays, with nothing drawn, and the figure's note says why.
  assert.deepEqual(names, ['pipe', 'tcp', 'CPython pipe', 'C floor · pipe', 'bare Node · pipe-v8', 'bare Node · unix-v8']);
  assert.deepEqual(fig.data[1].y, [null, null, null]);
  assert.match(JSON.stringify(fig.layout.annotations), /tcp at 64 B/);
  assert.match(JSON.stringify(fig.layout.annotations), /failed \(transfer\): the receiver died/);
  const colors = fig.data.map((d) => (d.line as { color: string }).color);
  assert.equal(new Set(colors).size, colors.length);
  assert.equal(colors[0], knownStyle('pipe')?.color);
  assert.equal(colors[3], limitStyle('c', 'pipe').color);
  assert.equal((fig.data[3].line as { dash: string }).dash, 'dash');
  assert.equal((fig.data[4].line as { dash: string }).dash, 'dot');
  // The pipe's whisker reaches from its p50 (40 µs) to its p99 (200 µs), in µs.
  const pipeError = fig.data[0].error_y as { array: number[]; arrayminus: number[] };
  assert.ok(Math.abs(pipeError.array[0] - 160) < 1e-6);
  assert.equal(pipeError.arrayminus[0], 0);
  const rate = messageFigure(run, 'threads', 'rate');
  assert.deepEqual(
    rate.data.map((d) => d.name),
    ['queue', 'ring', 'C floor · shm', 'bare Node · port'],
  );
  assert.equal((rate.layout.yaxis as { type: string }).type, 'log');
  const cpu = cpuFigure(run, 64);
  const bars = cpu.data.map((d) => (d.marker as { color: string }).color);
  assert.equal(new Set(bars).size, bars.length);
  assert.ok((cpu.data[3].x as string[]).includes('ring'));
  assert.throws(() => messageFigure(run, 'nope', 'rate'), /message group "nope" is not one of streams-v8, streams-raw, processes, threads/);
});

test('the wake-up finding: a C round trip against two messages of its own stream, the widest gap named with both numbers', () => {
  // The fixture's C pipe: p50 4 µs at 64 B; with a stream of 500 000 messages/s (2 µs each) the round trip is 1× two messages.
  const calm = fixture();
  calm.limits.push(limit('c', 'pipe', 'rate', 64, { perSecond: 500_000 }));
  const quiet = wakeupFinding(calm);
  assert.deepEqual([quiet?.channel, quiet?.messageBytes, quiet?.wakeupBound], ['pipe', 64, false]);
  near(quiet?.p50Seconds, 4 * US);
  near(quiet?.secondsPerMessage, 2 * US);
  near(quiet?.ratio, 1);
  const sleepy = fixture();
  sleepy.limits.push(limit('c', 'unix', 'roundtrip', 64, { p50Us: 80 }), limit('c', 'unix', 'rate', 64, { perSecond: 1_000_000 }));
  const woken = wakeupFinding(sleepy);
  assert.deepEqual([woken?.channel, woken?.wakeupBound], ['unix', true]);
  near(woken?.p50Seconds, 80 * US);
  near(woken?.secondsPerMessage, 1 * US);
  near(woken?.ratio, 40);
  assert.equal(wakeupFinding(fixture()), null, 'no C channel ran both patterns at one size');
});
