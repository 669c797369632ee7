import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { serializerOf } from '../../lib/measure/codecs/index';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { BrokerQueues, HEAD_BYTES, OP, QUEUE, queueHead, STATUS } from '../../lib/measure/transports/manager-broker';
import type { CodecName, Fault, PayloadKind, TransferRecord, TransferSpec } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * The manager carries the message patterns: each message is one proxy call (a put on a named
 * queue at the broker, a get that the broker holds until an item is there). Both patterns, every
 * message kind and the codecs that carry it, at a tiny count, verified; a broker killed at go and
 * mid-stream, a corrupt message, a killed receiver and a sender that hangs up: a failed record
 * that says what happened, in time; afterwards nothing of the run alive or on disk.
 */
let iso: Isolation;
before(() => (iso = isolate('manager-messages')));
after(() => iso.dispose());

const MESSAGES = 40;
const TIMEOUT_SECONDS = 30;

function spec(pattern: 'roundtrip' | 'rate', payload: PayloadKind, codec?: CodecName, sizeElements = MESSAGES): TransferSpec {
  return { runtime: 'node', transport: 'manager', payload, sizeElements, pattern, messageBytes: 64, ...(codec ? { codec } : {}) };
}

async function nothingLeft(): Promise<void> {
  assert.deepEqual(await iso.waitForNoProcesses(), [], 'no process of the run alive');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket or shared-memory file left');
}

function assertMeasured(r: TransferRecord): void {
  assert.equal(r.ok, true, r.error ?? undefined);
  assert.ok((r.messagesPerSecond ?? 0) > 0, `messagesPerSecond ${r.messagesPerSecond}`);
  assert.ok((r.senderCpuSecondsPerMessage ?? 0) > 0 && (r.receiverCpuSecondsPerMessage ?? 0) > 0, 'CPU per message on both sides');
  if (r.pattern === 'roundtrip') {
    const p50 = r.roundTripP50Seconds ?? 0;
    assert.ok(p50 > 0 && p50 <= (r.roundTripP99Seconds ?? 0), `p50 ${p50} ≤ p99 ${r.roundTripP99Seconds}`);
  } else {
    assert.equal(r.roundTripP50Seconds, null, 'a stream has no round trips');
  }
}

const carried: [CodecName | undefined, PayloadKind, 'roundtrip' | 'rate'][] = [
  ...(['roundtrip', 'rate'] as const).flatMap((pattern) =>
    (['bytes', 'object', 'int32'] as const).map((payload): [undefined, PayloadKind, typeof pattern] => [undefined, payload, pattern]),
  ),
  ['json', 'object', 'roundtrip'],
  ['json', 'int32', 'rate'],
  ['raw', 'bytes', 'rate'],
  ['raw', 'int32', 'roundtrip'],
  ['msgpackr', 'object', 'rate'],
  ['msgpackr', 'bytes', 'roundtrip'],
];
for (const [codec, payload, pattern] of carried) {
  test(`manager ${pattern} ${payload} (${codec ?? 'v8, the default'}): every message verified, measured, nothing left`, async () => {
    const r = await runTransfer(spec(pattern, payload, codec), { timeoutSeconds: TIMEOUT_SECONDS });
    assertMeasured(r);
    assert.equal(r.codec, codec ?? 'v8');
    if (codec === 'raw' && payload === 'bytes') {
      // Frame header, the call's 8-byte head, raw's 16-byte header, the 64 message bytes.
      assert.equal(r.bytes, 8 + HEAD_BYTES + 16 + 64);
    }
    await nothingLeft();
  });
}

test('a codec that cannot carry the message kind is refused before anything starts, in one line', async () => {
  const json = await runTransfer(spec('roundtrip', 'bytes', 'json'), { timeoutSeconds: TIMEOUT_SECONDS });
  assert.equal(json.failedPhase, 'limits');
  assert.match(json.error ?? '', /json codec: JSON has no bytes/);
  const raw = await runTransfer(spec('rate', 'object', 'raw'), { timeoutSeconds: TIMEOUT_SECONDS });
  assert.equal(raw.failedPhase, 'limits');
  assert.match(raw.error ?? '', /raw codec: carries typed arrays and bytes only, not an object/);
  await nothingLeft();
});

const faults: [Fault, 'roundtrip' | 'rate', RegExp, string][] = [
  ['kill-broker', 'roundtrip', /^the broker was killed by SIGKILL before reporting$/, 'transfer'],
  ['kill-broker', 'rate', /^the broker was killed by SIGKILL before reporting$/, 'transfer'],
  ['kill-receiver', 'rate', /^the receiver was killed by SIGKILL before reporting$/, 'transfer'],
  // The receiver answers before it checks, so the sender may see the corrupt echo first.
  [
    'corrupt',
    'roundtrip',
    /^the (receiver|sender) failed: the (message|answer): message \d+: its content differs from what was sent/,
    'verify',
  ],
  ['corrupt', 'rate', /^the receiver failed: the message: message \d+: its content differs from what was sent/, 'verify'],
  [
    'close-early',
    'rate',
    /^the receiver failed: the broker refused: get on queue to-receiver: the other client closed its connection to the broker/,
    'transfer',
  ],
];
for (const [fault, pattern, expected, phase] of faults) {
  test(`manager ${pattern} ${fault}: a failed record naming what happened, in time, nothing left`, async () => {
    const startedMs = Date.now();
    const r = await runTransfer(spec(pattern, 'bytes', undefined, 2000), { fault, timeoutSeconds: TIMEOUT_SECONDS });
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', expected);
    assert.equal(r.failedPhase, phase, r.error ?? undefined);
    assert.ok(Date.now() - startedMs < 10_000, 'noticed at once, not at the timeout');
    await nothingLeft();
  });
}

/** The run's broker process, found by its role in its command line among this test's processes. */
function brokerPid(): number | null {
  for (const pid of iso.livingProcesses()) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('"role":"broker"')) return pid;
    } catch {
      /* gone */
    }
  }
  return null;
}

test('manager rate: the broker killed mid-stream gives a failed record naming the broker, in time, nothing left', async () => {
  // Far more messages than the timeout allows: the stream is still running when the broker dies.
  const running = runTransfer(spec('rate', 'bytes', undefined, 5_000_000), { timeoutSeconds: TIMEOUT_SECONDS });
  let pid: number | null = null;
  for (let waitedMs = 0; pid === null && waitedMs < 10_000; waitedMs += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    pid = brokerPid();
  }
  assert.ok(pid, 'the broker started');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const killedMs = Date.now();
  process.kill(pid, 'SIGKILL');
  const r = await running;
  assert.equal(r.ok, false);
  assert.equal(r.failedPhase, 'transfer', r.error);
  assert.match(r.error ?? '', /^the broker was killed by SIGKILL/);
  assert.ok(Date.now() - killedMs < 5000, 'noticed at once, not at the timeout');
  await nothingLeft();
});

test('the broker holds a get on an empty queue until an item is put, and refuses it once the other client has left', async () => {
  const queues = new BrokerQueues(serializerOf('v8')!, 'bytes');
  const get = (queue: number) => queues.answer(queueHead(OP.get, queue));
  let answered = false;
  const waiting = get(QUEUE.toReceiver).then((reply) => {
    answered = true;
    return reply;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(answered, false, 'no item yet: the get is held, not refused');
  const item = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const put = await queues.answer(Buffer.concat([queueHead(OP.put, QUEUE.toReceiver), ...serializerOf('v8')!.encode(item)]));
  assert.equal(put[0][0], STATUS.ok);
  const reply = Buffer.concat(await waiting);
  assert.equal(reply[0], STATUS.ok);
  assert.deepEqual(serializerOf('v8')!.decode(reply.subarray(HEAD_BYTES), 'bytes'), item);

  const unknown = Buffer.concat(await get(7));
  assert.equal(unknown[0], STATUS.refused);
  assert.match(unknown.subarray(HEAD_BYTES).toString(), /^no queue number 7: the queues are 0 to 1 \(to-receiver, to-sender\)$/);

  const held = get(QUEUE.toSender);
  queues.clientLeft('the peer closed the stream');
  const refused = Buffer.concat(await held);
  assert.equal(refused[0], STATUS.refused);
  assert.match(refused.subarray(HEAD_BYTES).toString(), /get on queue to-sender: the other client closed its connection to the broker/);
});
