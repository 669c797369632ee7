import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fillMessageRecord, type MessageProgramSuccess, messageResultProblem } from '../../lib/measure/cpython/cpython-messages';
import { findPython } from '../../lib/measure/cpython/python-interpreter';
import { parseHistogram } from '../../lib/measure/messages/histogram';
import { abortActiveTransfers, activeTransferCount, runTransfer } from '../../lib/measure/runner/run-transfer';
import { blankRecord } from '../../lib/model/record';
import type { Fault, PayloadKind, TransferRecord, TransferSpec } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * The cpython runtime's message patterns end to end, through the runner: ping-pong and a stream
 * over multiprocessing's Pipe, Queue and Manager with every message payload at a tiny count,
 * verified and with plausible numbers; a corrupt message, a killed peer, a hung peer and an
 * interrupt as failed records; refused combinations as one-line limits records. After each run
 * nothing it started may still run and its temp dirs must be gone.
 */

const METHODS = ['pipe', 'queue', 'manager'] as const;
const PATTERNS = ['roundtrip', 'rate'] as const;
const PAYLOADS: PayloadKind[] = ['bytes', 'object', 'int32'];
const MESSAGES = 100;
const MESSAGE_BYTES = 64;
const PY_DIR = path.resolve(__dirname, '..', '..', 'lib', 'measure', 'cpython');

let iso: Isolation;
let shmBefore: Set<string>;

/** multiprocessing's own shared-memory names: its semaphores and SharedMemory blocks. */
function multiprocessingShm(): string[] {
  return fs.existsSync('/dev/shm') ? fs.readdirSync('/dev/shm').filter((f) => f.startsWith('sem.mp-') || f.startsWith('psm_')) : [];
}

before(() => {
  iso = isolate('cpython-messages');
  shmBefore = new Set(multiprocessingShm());
});

after(() => iso.dispose());

async function assertNothingLeft(what: string): Promise<void> {
  const alive = await iso.waitForNoProcesses(5000);
  assert.deepEqual(alive, [], `${what}: processes still running`);
  assert.deepEqual(iso.leftoverFiles(), [], `${what}: files left behind`);
  const newShm = multiprocessingShm().filter((f) => !shmBefore.has(f));
  assert.deepEqual(newShm, [], `${what}: /dev/shm entries left behind`);
}

function spec(
  transport: string,
  pattern: 'roundtrip' | 'rate',
  payload: PayloadKind = 'bytes',
  messageBytes = MESSAGE_BYTES,
): TransferSpec {
  return { runtime: 'cpython', transport, payload, pattern, messageBytes, sizeElements: MESSAGES };
}

function run(s: TransferSpec, fault: Fault = 'none', timeoutSeconds = 60): Promise<TransferRecord> {
  return runTransfer(s, { timeoutSeconds, fault });
}

function assertPlausibleRoundTrip(r: TransferRecord): void {
  const [p50, p90, p99, p999, max, mean] = [
    r.roundTripP50Seconds,
    r.roundTripP90Seconds,
    r.roundTripP99Seconds,
    r.roundTripP999Seconds,
    r.roundTripMaxSeconds,
    r.roundTripMeanSeconds,
  ] as number[];
  // A multiprocessing round trip is microseconds to a millisecond or so; 1 µs..0.5 s allows a loaded machine.
  assert.ok(p50 > 1e-6 && p50 < 0.5, `p50 ${p50} s`);
  assert.ok(p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max, `percentiles out of order: ${[p50, p90, p99, p999, max]}`);
  assert.ok(mean > 0 && mean <= max, `mean ${mean} s`);
  assert.ok(Math.abs(r.messagesPerSecond! * mean - 1) < 1e-9, 'a round trip rate is 1 / mean');
  // 100 measured round trips take at least their sum (mean × 100) and the loop's overhead.
  assert.ok(r.totalSeconds! >= mean * MESSAGES * 0.999, `total ${r.totalSeconds} s < ${MESSAGES} × mean ${mean} s`);
  const pairs = parseHistogram(r.histogram);
  assert.equal(pairs.at(-1)?.[0], 100);
  assert.equal(pairs.at(-1)?.[1], Math.round(max * 1e9));
}

function assertPlausibleRate(r: TransferRecord): void {
  for (const key of ['roundTripP50Seconds', 'roundTripMeanSeconds'] as const) assert.equal(r[key], null, key);
  assert.equal(r.histogram, '');
  assert.ok(r.totalSeconds! > 0 && r.totalSeconds! < 30, `total ${r.totalSeconds} s`);
  assert.ok(Math.abs(r.messagesPerSecond! * r.totalSeconds! - MESSAGES) < 1e-6, 'rate = messages / time');
  assert.ok(r.messagesPerSecond! > 10 && r.messagesPerSecond! < 1e8, `${r.messagesPerSecond} messages/s`);
}

for (const method of METHODS) {
  for (const pattern of PATTERNS) {
    for (const payload of PAYLOADS) {
      test(`cpython ${method} ${pattern} ${payload}: ${MESSAGES} messages of ${MESSAGE_BYTES} B verified, plausible numbers, nothing left`, async () => {
        const r = await run(spec(method, pattern, payload));
        assert.equal(r.error, '');
        assert.equal(r.ok, true);
        assert.equal(r.pattern, pattern);
        assert.equal(r.messageBytes, MESSAGE_BYTES);
        assert.equal(r.codec, 'pickle');
        assert.equal(r.sizeElements, MESSAGES);
        if (pattern === 'roundtrip') assertPlausibleRoundTrip(r);
        else assertPlausibleRate(r);
        assert.ok(Math.abs(r.bytesPerSecond! - r.messagesPerSecond! * MESSAGE_BYTES) < 1e-6 * r.bytesPerSecond!);
        for (const cpu of [r.senderCpuSecondsPerMessage, r.receiverCpuSecondsPerMessage]) {
          assert.ok(cpu !== null && cpu >= 0 && cpu < 0.05, `CPU per message ${cpu} s`);
        }
        assert.ok(r.senderPeakRssBytes! > 1e6 && r.receiverPeakRssBytes! > 1e6);
        assert.equal(r.brokerPeakRssBytes !== null, method === 'manager');
        await assertNothingLeft(`${method} ${pattern} ${payload}`);
      });
    }
  }
}

test('every runtime sends the same content: the Python messages match the spec built here', async () => {
  const python = (await findPython()).path;
  const script = [
    'import sys, json, message_payloads as mp',
    'out = sys.stdout.buffer',
    'out.write(mp.BytesKind(64).make(5) + mp.Int32Kind(64).make(5).tobytes())',
    "out.write(json.dumps(mp.ObjectKind(200).make(1234), separators=(',', ':')).encode())",
  ].join('\n');
  const got = execFileSync(python, ['-c', script], { cwd: PY_DIR, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const bytes = Buffer.alloc(64);
  bytes.writeUInt32LE(5, 0);
  bytes.writeUInt32LE(~5 >>> 0, 4);
  for (let i = 8; i < 64; i++) bytes[i] = (i * 31 + 7) & 0xff;
  const int32 = new Int32Array(16).map((_, i) => i);
  int32[0] = 5;
  const head = '{"seq":1234,"kind":"tick","values":[0,1,2],"pad":"';
  const object = `${head}${'x'.repeat(200 - head.length - 2)}"}`;
  assert.equal(object.length, 200);
  assert.deepEqual(got, Buffer.concat([bytes, Buffer.from(int32.buffer), Buffer.from(object)]));
});

for (const method of METHODS) {
  for (const pattern of PATTERNS) {
    test(`cpython ${method} ${pattern}: a corrupt message is a failed record naming it (phase verify)`, async () => {
      const payload = PAYLOADS[(METHODS.indexOf(method) + PATTERNS.indexOf(pattern)) % PAYLOADS.length];
      const r = await run(spec(method, pattern, payload), 'corrupt');
      assert.equal(r.ok, false);
      assert.equal(r.failedPhase, 'verify');
      // warm-up of 100 is 10 messages; the fault hits measured message 50, seq 60
      assert.match(r.error, /receiver: message 60 \(measured message 50\) /);
      await assertNothingLeft(`${method} ${pattern} corrupt`);
    });
    test(`cpython ${method} ${pattern}: a receiver killed mid-stream is a failed record`, async () => {
      const r = await run(spec(method, pattern), 'kill-receiver');
      assert.equal(r.ok, false);
      assert.equal(r.failedPhase, 'transfer');
      assert.match(r.error, /the receiver process was killed by SIGKILL/);
      await assertNothingLeft(`${method} ${pattern} kill-receiver`);
    });
  }
}

test('a killed sender, a killed manager server and a half-sent pickle are failed records', async () => {
  const sender = await run(spec('queue', 'rate'), 'kill-sender');
  assert.equal(sender.failedPhase, 'transfer');
  assert.match(sender.error, /the sender process was killed by SIGKILL/);
  const broker = await run(spec('manager', 'roundtrip'), 'kill-broker');
  assert.equal(broker.failedPhase, 'transfer');
  assert.match(broker.error, /the manager's server process was killed by SIGKILL/);
  const half = await run(spec('pipe', 'rate'), 'close-early');
  assert.equal(half.failedPhase, 'transfer');
  assert.match(half.error, /receiver: UnpicklingError/);
  const refused = await run(spec('queue', 'rate'), 'close-early');
  assert.equal(refused.failedPhase, 'limits');
  assert.match(refused.error, /fault close-early needs the pipe method/);
  await assertNothingLeft('kill-sender, kill-broker, close-early');
});

test('a hung peer is a timeout within the deadline, with the whole group killed', async () => {
  for (const [method, fault] of [
    ['manager', 'receiver-hangs'],
    ['pipe', 'sender-never-ready'],
  ] as const) {
    const started = Date.now();
    const r = await run(spec(method, 'roundtrip'), fault, 1);
    assert.equal(r.failedPhase, 'timeout');
    assert.match(r.error, /no result within 1 s: killed the process group of .* message_patterns\.py/);
    assert.ok(Date.now() - started < 10_000, 'the timeout was not enforced');
    await assertNothingLeft(`${method} ${fault}`);
  }
});

test('an interrupt (abortActiveTransfers) ends a long stream as an interrupted record', async () => {
  const pending = run({ ...spec('manager', 'roundtrip'), sizeElements: 10_000_000 }, 'none', 600);
  for (let i = 0; i < 200 && iso.livingProcesses().length < 3; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(activeTransferCount(), 1);
  abortActiveTransfers('test interrupt');
  const r = await pending;
  assert.equal(r.failedPhase, 'interrupted');
  assert.match(r.error, /test interrupt/);
  await assertNothingLeft('interrupt');
});

test('combinations cpython cannot run are limits records with one line saying what would run', async () => {
  const cases: [TransferSpec, RegExp][] = [
    [spec('tcp', 'rate'), /^cpython runs the message patterns over pipe, queue and manager, not tcp$/],
    [spec('shared-array', 'roundtrip'), /cpython runs the message patterns over pipe, queue and manager, not shared-array$/],
    [spec('pipe', 'roundtrip', 'list'), /cpython runs the message patterns with bytes, object and int32 messages, not the list payload$/],
    [spec('pipe', 'rate', 'object', 32), /object messages need at least 64 bytes, got 32$/],
    [spec('queue', 'rate', 'int32', 10), /int32 messages need a multiple of 4 bytes, got 10$/],
    [spec('queue', 'rate', 'bytes', 4), /a message needs at least 8 bytes \(its seq and check word\); 4 is too small/],
    [{ ...spec('queue', 'rate'), messageBytes: undefined }, /message size undefined is not a whole number of bytes/],
    [
      { runtime: 'cpython', transport: 'pipe', payload: 'bytes', sizeElements: 1000 },
      /the cpython runtime sends the article's list payload only in a transfer, not bytes/,
    ],
  ];
  for (const [s, expected] of cases) {
    const r = await run(s);
    assert.equal(r.ok, false);
    assert.equal(r.failedPhase, 'limits', r.error);
    assert.match(r.error, expected);
    assert.doesNotMatch(r.error, /\n/);
  }
  await assertNothingLeft('limits');
});

test("the program's raw numbers become the record's fields (fixed fake numbers)", () => {
  const place = { runId: 'test', repeat: 0, warmup: false };
  const base: MessageProgramSuccess = {
    ok: true,
    python: '3.11.2',
    pattern: 'roundtrip',
    messages: 100,
    warmupMessages: 10,
    // 1, 2, …, 100 µs: p50 50 µs, p99 99 µs, mean 50.5 µs
    roundTripNs: Array.from({ length: 100 }, (_, i) => (i + 1) * 1000),
    firstSendNs: 5e9,
    lastHeldNs: 5e9 + 6e6,
    senderCpuSeconds: 0.002,
    receiverCpuSeconds: 0.001,
    pickledMessageBytes: 79,
    senderPeakRssBytes: 2e7,
    receiverPeakRssBytes: 2e7,
    brokerPeakRssBytes: null,
  };
  const roundtrip = spec('pipe', 'roundtrip');
  assert.equal(messageResultProblem(base as unknown as Record<string, unknown>, roundtrip), null);
  const r = fillMessageRecord(blankRecord(roundtrip, place), base);
  assert.equal(r.ok, true);
  // the HDR histogram keeps 3 significant digits: within 0.1 %
  const near = (got: number | null, want: number) => assert.ok(Math.abs(got! - want) <= want * 1e-3, `${got} ≉ ${want}`);
  near(r.roundTripP50Seconds, 50e-6);
  near(r.roundTripP99Seconds, 99e-6);
  near(r.roundTripMaxSeconds, 100e-6);
  near(r.roundTripMeanSeconds, 50.5e-6);
  near(r.messagesPerSecond, 1 / 50.5e-6);
  near(r.bytesPerSecond, MESSAGE_BYTES / 50.5e-6);
  assert.equal(r.totalSeconds, 0.006);
  assert.equal(r.senderCpuSecondsPerMessage, 0.002 / 100);
  assert.equal(r.receiverCpuSecondsPerMessage, 0.001 / 100);

  const rate = spec('queue', 'rate');
  const stream = { ...base, pattern: 'rate' as const, roundTripNs: null, lastHeldNs: 5e9 + 0.5e9 };
  const q = fillMessageRecord(blankRecord(rate, place), stream);
  assert.equal(q.messagesPerSecond, 200); // 100 messages in 0.5 s
  assert.equal(q.bytesPerSecond, 200 * MESSAGE_BYTES);
  assert.equal(q.roundTripP50Seconds, null);
  assert.equal(q.histogram, '');

  const short = { ...base, roundTripNs: [1000, 2000] } as unknown as Record<string, unknown>;
  assert.match(messageResultProblem(short, roundtrip) ?? '', /printed 2 round-trip samples, expected 100/);
  const backwards = { ...stream, lastHeldNs: 1 } as unknown as Record<string, unknown>;
  assert.match(messageResultProblem(backwards, rate) ?? '', /last message held before the first send/);
});
