/**
 * A failed record is data: a typed phase and the bare error text. The transfer's name and the
 * phase are put around it only where it is printed (describeFailure), once; files written before
 * that (schema 5 and older, glued text) are converted when they load.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { blankRecord, describeFailure, failRecord, isFailedPhase } from '../../lib/model/record';
import { FAILED_PHASES, RECORD_SCHEMA, type TransferRecord } from '../../lib/model/types';
import { upgradeLimitRowFrom1 } from '../../lib/sweep/plan-files';
import { parseResults } from '../../lib/sweep/results-format';
import type { MessageLimitRecord } from '../../lib/sweep/steps';

const JSON_LIMIT =
  "JSON serialization would need a 888888907-character string, beyond V8's limit of 536870888 (2^29 − 24): use ipc (advanced) or a stream transport";

function pipeRecord(): TransferRecord {
  return blankRecord({ runtime: 'node', transport: 'pipe', payload: 'list', sizeElements: 1e8 }, { runId: 'r', repeat: 0, warmup: false });
}

test('failRecord keeps the phase as a field and the reason bare, on one line', () => {
  const r = failRecord(pipeRecord(), 'transfer', 'the receiver\n  exited with code 3 ');
  assert.deepEqual([r.ok, r.failedPhase, r.error], [false, 'transfer', 'the receiver exited with code 3']);
});

test('describeFailure words a failure once: refused or failed in which phase, the transfer named only when asked', () => {
  const failed = failRecord(pipeRecord(), 'verify', 'element 500 is -1, expected 500');
  assert.equal(describeFailure(failed), 'failed (verify): element 500 is -1, expected 500');
  assert.equal(describeFailure(failed, { spec: failed }), 'node pipe list 1e8: failed (verify): element 500 is -1, expected 500');
  const refused = failRecord(pipeRecord(), 'limits', JSON_LIMIT);
  const named = describeFailure(refused, { spec: refused });
  assert.equal(named, `node pipe list 1e8: refused: ${JSON_LIMIT}`);
  assert.equal(named.split('node pipe list 1e8').length, 2, 'the name once');
  assert.equal(describeFailure({ failedPhase: 'timeout', error: '' }), 'failed (timeout): no reason recorded');
});

test('isFailedPhase knows the phases and nothing else', () => {
  for (const phase of FAILED_PHASES) assert.ok(isFailedPhase(phase));
  for (const other of ['receive', '', 'LIMITS', 3, null]) assert.equal(isFailedPhase(other), false, String(other));
});

test('the runner writes a refusal and a failed start as a typed phase and the bare reason', async () => {
  const refused = await runTransfer({ runtime: 'node', transport: 'ipc-json', payload: 'list', sizeElements: 1e8 }, {});
  assert.deepEqual([refused.ok, refused.failedPhase, refused.error], [false, 'limits', JSON_LIMIT]);
  const python = '/nonexistent/python3';
  const spawn = await runTransfer({ runtime: 'cpython', transport: 'pipe', payload: 'list', sizeElements: 10 }, { python });
  assert.equal(spawn.failedPhase, 'spawn');
  assert.match(spawn.error, /^python interpreter "\/nonexistent\/python3" not found: /);
});

// Real records of files written before schema 6, as they are in data/results/ (measurements trimmed
// to those the upgrade looks at; the loader fills what older schemas lacked).
const SCHEMA_2_REFUSAL = {
  schema: 2,
  runId: '20261201-002031-391eb50f',
  runtime: 'node',
  transport: 'ipc-json',
  payload: 'list',
  codec: 'json',
  sizeElements: 100000000,
  repeat: 0,
  warmup: false,
  ok: false,
  error: `node ipc-json list 1e8: limits: ${JSON_LIMIT}`,
  failedPhase: 'limits',
  heapLimitMb: 4071,
  memory: 'n/a',
  startedAt: '2026-12-01T00:20:48.014Z',
};
const SCHEMA_4_RUNTIME_REFUSAL = {
  schema: 4,
  runId: '20261201-103545-9f2e2746',
  runtime: 'deno',
  runtimeVersion: '2.9.6',
  transport: 'pipe',
  payload: 'bytes',
  codec: 'v8',
  sizeElements: 10000,
  repeat: 0,
  warmup: false,
  ok: false,
  error:
    "deno pipe roundtrip bytes 64 B × 1e4: limits: deno 2.9.6: the pipe's message patterns need a stream on the FIFO that carries the way back, and Deno's net.Socket cannot wrap a FIFO's fd (new net.Socket({ fd }) fails with \"open EEXIST\")",
  failedPhase: 'limits',
  heapLimitMb: 2048,
  memory: 'n/a',
  startedAt: '2026-12-01T10:38:49.257Z',
  pattern: 'roundtrip',
  messageBytes: 64,
};
const TIMES = ['buildSeconds', 'encodeSeconds', 'decodeSeconds', 'sendSeconds', 'recvSeconds', 'totalSeconds', 'verifySeconds', 'bytes'];
const PEAKS = ['senderPeakRssBytes', 'receiverPeakRssBytes', 'brokerPeakRssBytes'];
const MEASURES = [
  'roundTripP50Seconds',
  'roundTripP90Seconds',
  'roundTripP99Seconds',
  'roundTripP999Seconds',
  'roundTripMaxSeconds',
  'roundTripMeanSeconds',
  'messagesPerSecond',
  'bytesPerSecond',
  'senderCpuSecondsPerMessage',
  'receiverCpuSecondsPerMessage',
];
const nulls = (fields: string[]) => Object.fromEntries(fields.map((f) => [f, null]));
const DESCRIPTION = {
  schema: 4,
  runId: '20261201-103545-9f2e2746',
  ipcLabVersion: '0.1.0',
  gitCommit: 'dd1a4ac36d474e2820b3b9c6a7512996af69e6ce',
  node: '20.20.2',
  v8: '11.3.244.8-node.38',
  python: '3.11.7',
  bun: '1.4.5',
  deno: '2.9.6',
  os: 'Linux',
  kernel: '6.18.44-fc-v657',
  arch: 'x64',
  cpuModel: 'Intel(R) Xeon(R) Processor',
  cores: 2,
  memoryBytes: 25276510208,
  date: '2026-12-01T10:35:45.000Z',
  commandLine: 'obtain("runtimes", { scale: "article" })',
  label: 'runtimes at scale article',
  codecLibraries: 'v8 11.3.244.8-node.38 (node:v8 and JSON), msgpackr 2.1.4',
};

test('records of schema 2 and 4 load with the glued text turned into the phase and the bare reason', () => {
  const records = [
    { ...SCHEMA_2_REFUSAL, ...nulls([...TIMES, ...PEAKS]) },
    { ...SCHEMA_4_RUNTIME_REFUSAL, ...nulls([...TIMES, ...PEAKS, ...MEASURES]), histogram: '' },
  ];
  const loaded = parseResults(JSON.stringify({ schema: 4, description: DESCRIPTION, records }), 'old.json').records;
  assert.deepEqual(
    loaded.map((r) => [r.schema, r.failedPhase, r.error]),
    [
      [RECORD_SCHEMA, 'limits', JSON_LIMIT],
      [
        RECORD_SCHEMA,
        'limits',
        "the pipe's message patterns need a stream on the FIFO that carries the way back, and Deno's net.Socket cannot wrap a FIFO's fd (new net.Socket({ fd }) fails with \"open EEXIST\")",
      ],
    ],
  );
  assert.equal(loaded[1].runtimeVersion, '2.9.6', 'the version stays a field');
  assert.equal(describeFailure(loaded[0], { spec: loaded[0] }), `node ipc-json list 1e8: refused: ${JSON_LIMIT}`);
});

test('a schema 5 record with an error that names no phase keeps it whole; an ok record stays empty', () => {
  const base = JSON.parse(JSON.stringify({ ...pipeRecord(), schema: 5 })) as Record<string, unknown>;
  const odd = { ...base, ok: false, failedPhase: 'transfer', error: 'no prefix here: just words' };
  const ok = { ...base, ok: true, totalSeconds: 1 };
  const loaded = parseResults(JSON.stringify({ schema: 5, description: DESCRIPTION, records: [odd, ok] }), 'v5.json').records;
  assert.deepEqual(
    loaded.map((r) => [r.failedPhase, r.error]),
    [
      ['transfer', 'no prefix here: just words'],
      ['', ''],
    ],
  );
});

test('message-limits.json rows of schema 1 gain their phase: a refusal loses its glued "limits: "', () => {
  // A real row of data/results/messages-article/message-limits.json (measures trimmed: all null there).
  const refused = {
    source: 'node-minimal',
    channel: 'ipc-json',
    pattern: 'roundtrip',
    messageBytes: 8,
    messages: 10000,
    round: 0,
    warmupMessages: 1000,
    ok: false,
    error:
      'limits: message size 8 is not a whole number of bytes from 64 to 1048576 (ipc-json sends object messages, which need at least 64 bytes)',
    runId: '20261201-102331-2d663c87',
  } as unknown as MessageLimitRecord;
  const died = { ...refused, channel: 'tcp', messageBytes: 64, error: 'the peer was killed by signal 9' } as MessageLimitRecord;
  const fine = { ...refused, channel: 'tcp', messageBytes: 64, ok: true, error: null } as MessageLimitRecord;
  for (const row of [refused, died, fine]) upgradeLimitRowFrom1(row);
  assert.deepEqual(
    [refused, died, fine].map((r) => [r.failedPhase, r.error]),
    [
      [
        'limits',
        'message size 8 is not a whole number of bytes from 64 to 1048576 (ipc-json sends object messages, which need at least 64 bytes)',
      ],
      ['transfer', 'the peer was killed by signal 9'],
      [null, null],
    ],
  );
});
